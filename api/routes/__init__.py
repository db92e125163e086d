"""HTTP routers; every module here exposing router is included by api.app.create_app."""
