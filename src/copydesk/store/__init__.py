"""The store: SQLite tables for articles, their versions, stories, the grouping index,
analyses and feed state. Only this package holds SQL; :class:`copydesk.desk.Desk`
chains it with the stages."""

from copydesk.store.database import DEFAULT_DB, ENV_DB, Database, StoreError, default_path

__all__ = ["DEFAULT_DB", "ENV_DB", "Database", "StoreError", "default_path"]
