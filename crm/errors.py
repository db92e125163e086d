"""Domain errors that adapters translate (HTTP status, CLI exit code)."""


class DealwiseError(Exception):
    """Base class: the message is one sentence a user can act on."""


class NotFound(DealwiseError):
    """The object does not exist or lies outside the caller's scope (never say which)."""


class Forbidden(DealwiseError):
    """The caller may see the object but not do this to it."""


class InvalidInput(DealwiseError):
    """The caller's input is wrong; the message says what and why."""


class Conflict(DealwiseError):
    """The request conflicts with stored state (e.g. a duplicate name)."""
