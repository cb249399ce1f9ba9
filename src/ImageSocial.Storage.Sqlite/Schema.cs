namespace ImageSocial.Storage.Sqlite;

/// <summary>Versioned schema migrations, applied in order; <c>PRAGMA user_version</c> records the last one applied.</summary>
internal static class Schema
{
    internal static readonly string[] Migrations =
    [
        """
        CREATE TABLE users(
            id INTEGER PRIMARY KEY,
            handle TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            is_private INTEGER NOT NULL);
        CREATE TABLE follows(
            follower INTEGER NOT NULL REFERENCES users(id),
            followee INTEGER NOT NULL REFERENCES users(id),
            state INTEGER NOT NULL,
            PRIMARY KEY(follower, followee)) WITHOUT ROWID;
        CREATE INDEX follows_by_followee ON follows(followee, state, follower);
        CREATE TABLE photos(
            id INTEGER PRIMARY KEY,
            owner_id INTEGER NOT NULL REFERENCES users(id),
            title TEXT NOT NULL,
            tags TEXT NOT NULL,
            visibility INTEGER NOT NULL,
            owner_private INTEGER NOT NULL,
            deleted_at INTEGER NULL,
            like_count INTEGER NOT NULL DEFAULT 0,
            comment_count INTEGER NOT NULL DEFAULT 0,
            format TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            orientation INTEGER NOT NULL,
            frames INTEGER NOT NULL,
            captured_at INTEGER NULL,
            latitude REAL NULL,
            longitude REAL NULL,
            camera_make TEXT NULL,
            camera_model TEXT NULL,
            rendition_type TEXT NOT NULL,
            original_bytes INTEGER NOT NULL);
        CREATE INDEX photos_by_owner ON photos(owner_id, id);
        CREATE INDEX photos_deleted ON photos(deleted_at) WHERE deleted_at IS NOT NULL;
        CREATE TABLE photo_tags(
            tag TEXT NOT NULL,
            photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
            PRIMARY KEY(tag, photo_id)) WITHOUT ROWID;
        CREATE INDEX photo_tags_by_photo ON photo_tags(photo_id);
        CREATE VIRTUAL TABLE photo_titles USING fts5(title, content='photos', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
        CREATE TRIGGER photos_ai AFTER INSERT ON photos BEGIN
            INSERT INTO photo_titles(rowid, title) VALUES (new.id, new.title);
        END;
        CREATE TRIGGER photos_ad AFTER DELETE ON photos BEGIN
            INSERT INTO photo_titles(photo_titles, rowid, title) VALUES ('delete', old.id, old.title);
        END;
        CREATE TRIGGER photos_au AFTER UPDATE OF title ON photos BEGIN
            INSERT INTO photo_titles(photo_titles, rowid, title) VALUES ('delete', old.id, old.title);
            INSERT INTO photo_titles(rowid, title) VALUES (new.id, new.title);
        END;
        CREATE TABLE likes(
            photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
            user_id INTEGER NOT NULL REFERENCES users(id),
            PRIMARY KEY(photo_id, user_id)) WITHOUT ROWID;
        CREATE TABLE comments(
            id INTEGER PRIMARY KEY,
            photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
            author_id INTEGER NOT NULL REFERENCES users(id),
            text TEXT NOT NULL);
        CREATE INDEX comments_by_photo ON comments(photo_id, id);
        CREATE TABLE outbox(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,
            subject INTEGER NOT NULL,
            data TEXT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            due_at INTEGER NOT NULL,
            lease_until INTEGER NULL,
            last_error TEXT NULL);
        CREATE INDEX outbox_due ON outbox(due_at);
        """,
        "ALTER TABLE users ADD COLUMN password_hash TEXT NULL;",
        """
        ALTER TABLE outbox ADD COLUMN enqueued_at INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE outbox ADD COLUMN dead_at INTEGER NULL;
        CREATE INDEX outbox_dead ON outbox(id) WHERE dead_at IS NOT NULL;
        CREATE TABLE embedding_spaces(
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            dimension INTEGER NOT NULL,
            registered_at INTEGER NOT NULL,
            backfilled INTEGER NOT NULL DEFAULT 0,
            backfill_completed_at INTEGER NULL);
        """,
        // Who holds a message's lease, so that a restarted runner can free its previous incarnation's claims at once.
        "ALTER TABLE outbox ADD COLUMN leased_by TEXT NULL;",
        // Embeddings as data, and the change feed every host's vector index catches up from (only what a vector's payload holds counts:
        // visibility, deletion, the owner's privacy, tags; likes and titles do not).
        """
        CREATE TABLE embeddings(
            photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,
            space TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY(photo_id, space)) WITHOUT ROWID;
        CREATE INDEX embeddings_by_space ON embeddings(space, photo_id);
        CREATE TABLE photo_changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, photo_id INTEGER NOT NULL, at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)));
        CREATE TRIGGER photo_changes_ai AFTER INSERT ON photos BEGIN INSERT INTO photo_changes(photo_id) VALUES (new.id); END;
        CREATE TRIGGER photo_changes_ad AFTER DELETE ON photos BEGIN INSERT INTO photo_changes(photo_id) VALUES (old.id); END;
        CREATE TRIGGER photo_changes_au AFTER UPDATE ON photos
            WHEN old.visibility IS NOT new.visibility OR old.deleted_at IS NOT new.deleted_at OR old.owner_private IS NOT new.owner_private
                OR old.tags IS NOT new.tags BEGIN
            INSERT INTO photo_changes(photo_id) VALUES (new.id);
        END;
        CREATE TRIGGER embeddings_ai AFTER INSERT ON embeddings BEGIN INSERT INTO photo_changes(photo_id) VALUES (new.photo_id); END;
        CREATE TRIGGER embeddings_au AFTER UPDATE ON embeddings BEGIN INSERT INTO photo_changes(photo_id) VALUES (new.photo_id); END;
        """,
        // Where the change feed has been pruned to: a reader positioned before it may have missed changes.
        "CREATE TABLE photo_changes_pruned(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);",
        // Hybrid feeds' stored timelines (ids only: derived data, rebuilt when lost, so no foreign keys), who read their feed when, and
        // the authors pulled at read instead of fanned out.
        """
        CREATE TABLE timelines(owner INTEGER NOT NULL, photo INTEGER NOT NULL, author INTEGER NOT NULL, PRIMARY KEY(owner, photo)) WITHOUT ROWID;
        CREATE INDEX timelines_by_photo ON timelines(photo);
        CREATE TABLE feed_activity(user_id INTEGER PRIMARY KEY, at INTEGER NOT NULL);
        CREATE TABLE feed_pulled(author INTEGER PRIMARY KEY);
        """,
        // Videos: their facts and processing state as one JSON text (null for photos).
        "ALTER TABLE photos ADD COLUMN video TEXT NULL;",
        // Whether the owner shares the post's location with its viewers.
        "ALTER TABLE photos ADD COLUMN share_location INTEGER NOT NULL DEFAULT 0;",
        // Roles: member (0), moderator (1), admin (2).
        "ALTER TABLE users ADD COLUMN role INTEGER NOT NULL DEFAULT 0;",
        // Safety: hidden posts and comments (the moderator's reason), suspended accounts (copied onto their photos, like is_private, so
        // that visibility stays one predicate on the photo row), blocks, reports and the moderation audit log.
        """
        ALTER TABLE photos ADD COLUMN hidden_reason TEXT NULL;
        ALTER TABLE photos ADD COLUMN owner_suspended INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE comments ADD COLUMN hidden_reason TEXT NULL;
        ALTER TABLE users ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE blocks(blocker INTEGER NOT NULL, blocked INTEGER NOT NULL, PRIMARY KEY(blocker, blocked)) WITHOUT ROWID;
        CREATE INDEX blocks_by_blocked ON blocks(blocked, blocker);
        CREATE TABLE reports(id INTEGER PRIMARY KEY, target INTEGER NOT NULL, target_id INTEGER NOT NULL, reporter INTEGER NOT NULL, reason TEXT NOT NULL,
            open INTEGER NOT NULL DEFAULT 1);
        CREATE INDEX reports_open ON reports(id) WHERE open = 1;
        CREATE INDEX reports_by_target ON reports(target, target_id) WHERE open = 1;
        CREATE TABLE audit_log(id INTEGER PRIMARY KEY, actor INTEGER NOT NULL, action TEXT NOT NULL, target TEXT NOT NULL, reason TEXT NULL);
        """,
    ];
}
