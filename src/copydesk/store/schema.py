"""The store's schema as numbered migrations, run in order (``PRAGMA user_version``).

A newer copydesk opens an older store by running the migrations it lacks, each in one
transaction; a store written by a newer copydesk than this one is refused rather than
misread. Never edit a released migration: add the next one.

Tables and views are named for what a person browsing the file (in Datasette, say)
expects to find: ``articles`` and their ``versions``, ``stories``, ``current_articles``.
The grouping index (``signatures``, ``lsh_bands``, ``lead_terms``, ``term_df``,
``postings``, ``pair_scores``) is what lets a new article find its story without
rebuilding anything in memory.
"""

from __future__ import annotations

# Articles with their versions, stories, and the persistent grouping index.
V1_CORE = """
        CREATE TABLE stories (
            n INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            title TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            -- a story absorbed by an older one points at it, so a link to it still resolves
            merged_into TEXT REFERENCES stories(id),
            -- articles that are not near-duplicate copies: what story merges weigh
            representatives INTEGER NOT NULL DEFAULT 0,
            -- 1 while the stored analysis (if any) is older than the story's articles
            changed INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE articles (
            n INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            -- what names this article in a later input: its URL, else source and id
            key TEXT NOT NULL UNIQUE,
            version INTEGER NOT NULL DEFAULT 1,
            story_id TEXT REFERENCES stories(id),
            -- a near-duplicate points at the article it copies (a representative)
            copy_of TEXT REFERENCES articles(id),
            first_added TEXT NOT NULL,
            updated TEXT NOT NULL
        );
        CREATE INDEX articles_story ON articles(story_id);
        CREATE INDEX articles_copy_of ON articles(copy_of);
        CREATE TABLE versions (
            n INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id),
            version INTEGER NOT NULL,
            added TEXT NOT NULL,
            raw_hash TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            raw TEXT NOT NULL,
            title TEXT,
            outlet TEXT,
            published TEXT,
            url TEXT,
            author TEXT,
            text TEXT NOT NULL,
            sentences TEXT NOT NULL,
            dropped TEXT NOT NULL,
            UNIQUE (article_id, version)
        );
        CREATE INDEX versions_raw_hash ON versions(raw_hash);
        CREATE INDEX versions_content_hash ON versions(content_hash);
        CREATE VIEW current_articles AS
            SELECT a.id, a.story_id, a.copy_of, a.version, v.title, v.outlet, v.published,
                   v.url, v.author, v.source, v.text, a.first_added, v.added AS version_added
            FROM articles a JOIN versions v ON v.article_id = a.id AND v.version = a.version;
        CREATE TABLE input_errors (
            n INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            message TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE signatures (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            day INTEGER NOT NULL,
            signature BLOB NOT NULL
        );
        CREATE TABLE lsh_bands (
            band INTEGER NOT NULL,
            bucket INTEGER NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id)
        );
        CREATE INDEX lsh_bands_bucket ON lsh_bands(band, bucket);
        CREATE TABLE lead_terms (
            article_id TEXT PRIMARY KEY REFERENCES articles(id),
            day INTEGER NOT NULL,
            terms TEXT NOT NULL,
            -- the title and lead MiniLM reads, embedded once when a pair first needs it
            lead TEXT NOT NULL,
            embedding BLOB
        );
        CREATE TABLE term_df (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE postings (
            term TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id),
            day INTEGER NOT NULL,
            -- the term's TF-IDF weight in the article when it was added: a first pass
            weight REAL NOT NULL,
            PRIMARY KEY (term, article_id)
        ) WITHOUT ROWID;
        CREATE TABLE pair_scores (
            a TEXT NOT NULL REFERENCES articles(id),
            b TEXT NOT NULL REFERENCES articles(id),
            score REAL NOT NULL,
            PRIMARY KEY (a, b)
        ) WITHOUT ROWID;
        CREATE INDEX pair_scores_b ON pair_scores(b);
        """


# Full-text search (FTS5, BM25) over the current version of every article.

# Kept in sync by a trigger on ``versions``; rows stored before this migration are
# indexed here.
V2_SEARCH = """
        CREATE VIRTUAL TABLE article_search USING fts5(
            title, text, tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER versions_search AFTER INSERT ON versions BEGIN
            DELETE FROM article_search
                WHERE rowid = (SELECT n FROM articles WHERE id = NEW.article_id);
            INSERT INTO article_search (rowid, title, text)
                VALUES ((SELECT n FROM articles WHERE id = NEW.article_id),
                        NEW.title, NEW.text);
        END;
        INSERT INTO article_search (rowid, title, text)
            SELECT a.n, v.title, v.text
            FROM articles a JOIN versions v ON v.article_id = a.id AND v.version = a.version;
        """


# Per-story analyses, the embedding cache, and what the feed watcher remembers.
V3_ANALYSES_AND_FEEDS = """
        CREATE TABLE story_analyses (
            story_id TEXT PRIMARY KEY REFERENCES stories(id),
            computed TEXT NOT NULL,
            analysis TEXT NOT NULL
        );
        CREATE TABLE embeddings (
            key TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            vector BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE feeds (
            url TEXT PRIMARY KEY,
            etag TEXT,
            last_modified TEXT,
            failures INTEGER NOT NULL DEFAULT 0,
            next_attempt REAL NOT NULL DEFAULT 0,
            last_checked REAL,
            last_error TEXT
        );
        CREATE TABLE feed_entries (
            feed_url TEXT NOT NULL REFERENCES feeds(url),
            entry TEXT NOT NULL,
            article_id TEXT,
            seen TEXT NOT NULL,
            PRIMARY KEY (feed_url, entry)
        ) WITHOUT ROWID;
        CREATE VIEW story_overview AS
            SELECT s.id, s.title, s.created, s.updated,
                   COUNT(a.id) AS articles, s.representatives,
                   MIN(v.published) AS first_published, MAX(v.published) AS last_published
            FROM stories s
            LEFT JOIN articles a ON a.story_id = s.id
            LEFT JOIN versions v ON v.article_id = a.id AND v.version = a.version
            WHERE s.merged_into IS NULL
            GROUP BY s.id;
        """


# What the front page ranks and filters by, kept with the story when it is analysed:
# independent source groups and open discrepancies (NULL until the first analysis).
V4_STORY_FIGURES = """
        ALTER TABLE stories ADD COLUMN groups INTEGER;
        ALTER TABLE stories ADD COLUMN discrepancies INTEGER;
        CREATE INDEX stories_updated ON stories(updated);
        CREATE INDEX versions_outlet ON versions(outlet COLLATE NOCASE);
        UPDATE stories SET
            groups = (SELECT json_array_length(x.analysis, '$.groups')
                      FROM story_analyses x WHERE x.story_id = stories.id),
            discrepancies = (SELECT json_array_length(x.analysis, '$.discrepancies')
                             FROM story_analyses x WHERE x.story_id = stories.id)
        WHERE changed = 0;
"""


MIGRATIONS: tuple[str, ...] = (V1_CORE, V2_SEARCH, V3_ANALYSES_AND_FEEDS, V4_STORY_FIGURES)
SCHEMA_VERSION = len(MIGRATIONS)
