"""Adapters: the FastAPI app and routes, the WeCom adapter, web pages and the CLI. The only place that knows HTTP/CLI."""
