"""The web desk: pages and their JSON twins over a copydesk store (``copydesk serve``).

``create_app(db_path, token=...)`` builds the Starlette app; ``serve(db_path)`` runs it
with uvicorn on 127.0.0.1. See :mod:`copydesk.web.app` for the routes and why Starlette.
"""

from copydesk.web.app import create_app, serve

__all__ = ["create_app", "serve"]
