namespace ImageSocial.Storage.Postgres;

/// <summary>The DDL of a physical server (schema <c>imagesocial</c>) and of one logical shard (its own schema).</summary>
/// <remarks>Everything about one user lives in their shard's schema: the profile, their photos with the likes and comments on them,
/// and their side of each follow edge. The per-server tables hold what must be queried across shards in one statement (the photo
/// and follower indexes, copies written in the same transactions), the outbox, and the fence that blocks writes to a shard being
/// moved.</remarks>
internal static class PgSchema
{
    internal const int Version = 1;

    internal static string SchemaName(int shard) => $"shard_{shard:D4}";

    /// <summary>A photo's columns after its id and owner, alike in the shard's table and in the server's index.</summary>
    private const string PhotoFacts = """
            title text NOT NULL,
            tags text[] NOT NULL,
            visibility smallint NOT NULL,
            deleted_at timestamptz NULL,
            like_count bigint NOT NULL DEFAULT 0,
            comment_count bigint NOT NULL DEFAULT 0,
            format text NOT NULL,
            width int NOT NULL,
            height int NOT NULL,
            orientation int NOT NULL,
            frames int NOT NULL,
            captured_at timestamptz NULL,
            latitude double precision NULL,
            longitude double precision NULL,
            camera_make text NULL,
            camera_model text NULL,
            rendition_type text NOT NULL,
            original_bytes bigint NOT NULL,
            video text NULL,
            share_location boolean NOT NULL DEFAULT false,
            hidden_reason text NULL
        """;

    internal const string Server = $$"""
        CREATE SCHEMA IF NOT EXISTS imagesocial;
        CREATE TABLE IF NOT EXISTS imagesocial.meta(key text PRIMARY KEY, value text NOT NULL);
        -- The shards this server holds. writable is false while a shard is being moved away (the write fence); serving is false for a
        -- copy that must not answer reads across users (one still arriving, or one that has been handed over).
        CREATE TABLE IF NOT EXISTS imagesocial.shards(shard int PRIMARY KEY, writable boolean NOT NULL, serving boolean NOT NULL DEFAULT true);
        -- The catalog's versioned map (used on the first server only).
        CREATE TABLE IF NOT EXISTS imagesocial.shard_map(shard int PRIMARY KEY, server text NOT NULL);
        CREATE TABLE IF NOT EXISTS imagesocial.map_version(one int PRIMARY KEY CHECK (one = 1), version bigint NOT NULL);
        CREATE TABLE IF NOT EXISTS imagesocial.outbox(
            id bigserial PRIMARY KEY,
            kind text NOT NULL,
            subject bigint NOT NULL,
            data text NULL,
            attempts int NOT NULL DEFAULT 0,
            due_at timestamptz NOT NULL DEFAULT '-infinity',
            lease_until timestamptz NULL,
            last_error text NULL);
        CREATE INDEX IF NOT EXISTS outbox_due ON imagesocial.outbox(due_at);
        -- Added after the first release: when a message was enqueued (for the age of the oldest due message) and when it was set
        -- aside as a dead letter.
        ALTER TABLE imagesocial.outbox ADD COLUMN IF NOT EXISTS enqueued_at timestamptz NOT NULL DEFAULT now();
        ALTER TABLE imagesocial.outbox ADD COLUMN IF NOT EXISTS dead_at timestamptz NULL;
        CREATE INDEX IF NOT EXISTS outbox_dead ON imagesocial.outbox(id) WHERE dead_at IS NOT NULL;
        -- Who holds a message's lease, so that a restarted runner can free its previous incarnation's claims at once.
        ALTER TABLE imagesocial.outbox ADD COLUMN IF NOT EXISTS leased_by text NULL;
        -- The embedding spaces of the deployment (used on the catalog server only): the highest seq is the current one.
        CREATE TABLE IF NOT EXISTS imagesocial.embedding_spaces(
            seq bigserial NOT NULL,
            id text PRIMARY KEY,
            dimension int NOT NULL,
            registered_at timestamptz NOT NULL,
            backfilled bigint NOT NULL DEFAULT 0,
            backfill_completed_at timestamptz NULL);
        -- The server's photo index: every photo row of the shards held here, kept in the same transaction as the shard's row, so that
        -- reads across users (batch gets, feed pulls, search) are one statement per server instead of one per shard.
        CREATE TABLE IF NOT EXISTS imagesocial.photo_index(
            id bigint PRIMARY KEY,
            owner_id bigint NOT NULL,
        {{PhotoFacts}},
            shard int NOT NULL,
            owner_private boolean NOT NULL,
            title_words tsvector NOT NULL,
            owner_suspended boolean NOT NULL DEFAULT false);
        CREATE INDEX IF NOT EXISTS photo_index_owner ON imagesocial.photo_index(owner_id, id);
        CREATE INDEX IF NOT EXISTS photo_index_title ON imagesocial.photo_index USING gin(title_words);
        CREATE INDEX IF NOT EXISTS photo_index_tags ON imagesocial.photo_index USING gin(tags);
        CREATE INDEX IF NOT EXISTS photo_index_shard ON imagesocial.photo_index(shard);
        CREATE INDEX IF NOT EXISTS photo_index_deleted ON imagesocial.photo_index(deleted_at) WHERE deleted_at IS NOT NULL;
        -- The followee sides of the follow edges of the shards held here, kept in the same transaction, so that the visibility rule
        -- is evaluated inside the same statement as the photo index.
        CREATE TABLE IF NOT EXISTS imagesocial.follower_index(
            user_id bigint NOT NULL,
            follower_id bigint NOT NULL,
            state smallint NOT NULL,
            shard int NOT NULL,
            PRIMARY KEY(user_id, follower_id));
        CREATE INDEX IF NOT EXISTS follower_index_shard ON imagesocial.follower_index(shard);
        -- Embeddings as data: one vector per (photo, space), on the server of the photo's shard and moved with it.
        CREATE TABLE IF NOT EXISTS imagesocial.embeddings(
            photo_id bigint NOT NULL,
            space text NOT NULL,
            vector bytea NOT NULL,
            shard int NOT NULL,
            PRIMARY KEY(photo_id, space));
        CREATE INDEX IF NOT EXISTS embeddings_space ON imagesocial.embeddings(space, photo_id);
        CREATE INDEX IF NOT EXISTS embeddings_shard ON imagesocial.embeddings(shard);
        -- The change feed every host's vector index catches up from: the photos whose indexable state changed, with the writing
        -- transaction's id (readers only take changes of transactions older than any still running; see ReadChangesAsync).
        CREATE TABLE IF NOT EXISTS imagesocial.photo_changes(
            seq bigserial PRIMARY KEY,
            xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
            photo_id bigint NOT NULL,
            at timestamptz NOT NULL DEFAULT now());
        CREATE INDEX IF NOT EXISTS photo_changes_order ON imagesocial.photo_changes(xid, seq);
        -- Where the feed has been pruned to: a reader positioned before it may have missed changes.
        CREATE TABLE IF NOT EXISTS imagesocial.photo_changes_pruned(id int PRIMARY KEY CHECK (id = 1), xid xid8 NOT NULL, seq bigint NOT NULL);
        CREATE OR REPLACE FUNCTION imagesocial.note_photo_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO imagesocial.photo_changes(photo_id) VALUES (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END);
            RETURN NULL;
        END $$;
        CREATE OR REPLACE FUNCTION imagesocial.note_embedding_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO imagesocial.photo_changes(photo_id) VALUES (NEW.photo_id);
            RETURN NULL;
        END $$;
        CREATE OR REPLACE TRIGGER photo_index_changed AFTER INSERT OR DELETE ON imagesocial.photo_index
            FOR EACH ROW EXECUTE FUNCTION imagesocial.note_photo_change();
        -- Counts (likes, comments) and titles are not in a vector's payload: only what the index filters on is a change.
        CREATE OR REPLACE TRIGGER photo_index_updated AFTER UPDATE ON imagesocial.photo_index
            FOR EACH ROW WHEN (OLD.visibility IS DISTINCT FROM NEW.visibility OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
                OR OLD.owner_private IS DISTINCT FROM NEW.owner_private OR OLD.tags IS DISTINCT FROM NEW.tags)
            EXECUTE FUNCTION imagesocial.note_photo_change();
        CREATE OR REPLACE TRIGGER embeddings_changed AFTER INSERT OR UPDATE ON imagesocial.embeddings
            FOR EACH ROW EXECUTE FUNCTION imagesocial.note_embedding_change();
        -- Hybrid feeds' stored timelines, on the server of the follower's shard (the seed's UserNewsFeed): ids only, derived data that
        -- a feed rebuilds when it is lost, so a shard move leaves it behind instead of copying it.
        CREATE TABLE IF NOT EXISTS imagesocial.timelines(owner_id bigint NOT NULL, photo_id bigint NOT NULL, author_id bigint NOT NULL, PRIMARY KEY(owner_id, photo_id));
        CREATE INDEX IF NOT EXISTS timelines_photo ON imagesocial.timelines(photo_id);
        CREATE TABLE IF NOT EXISTS imagesocial.feed_activity(user_id bigint PRIMARY KEY, at timestamptz NOT NULL);
        CREATE TABLE IF NOT EXISTS imagesocial.feed_pulled(author_id bigint PRIMARY KEY);
        -- Added after the first release, to the server's index and to every shard's photos here, so that an existing deployment upgrades
        -- in place: videos' facts and processing state as one JSON text (null for photos), and whether the owner shares the location.
        ALTER TABLE imagesocial.photo_index ADD COLUMN IF NOT EXISTS video text NULL;
        ALTER TABLE imagesocial.photo_index ADD COLUMN IF NOT EXISTS share_location boolean NOT NULL DEFAULT false;
        -- Safety: a moderator's reason for hiding a post, and the owner's suspension copied like owner_private.
        ALTER TABLE imagesocial.photo_index ADD COLUMN IF NOT EXISTS hidden_reason text NULL;
        ALTER TABLE imagesocial.photo_index ADD COLUMN IF NOT EXISTS owner_suspended boolean NOT NULL DEFAULT false;
        -- Reports and the moderation audit log (used on the catalog server only).
        CREATE TABLE IF NOT EXISTS imagesocial.reports(id bigint PRIMARY KEY, target smallint NOT NULL, target_id bigint NOT NULL, reporter bigint NOT NULL,
            reason text NOT NULL, open boolean NOT NULL DEFAULT true);
        CREATE INDEX IF NOT EXISTS reports_open ON imagesocial.reports(id) WHERE open;
        CREATE INDEX IF NOT EXISTS reports_target ON imagesocial.reports(target, target_id) WHERE open;
        CREATE TABLE IF NOT EXISTS imagesocial.audit_log(id bigint PRIMARY KEY, actor bigint NOT NULL, action text NOT NULL, target text NOT NULL, reason text NULL);
        DO $$
        DECLARE s name;
        BEGIN
            FOR s IN SELECT c.table_schema FROM information_schema.tables c WHERE c.table_schema LIKE 'shard\_%' AND c.table_name = 'photos'
                AND (SELECT count(*) FROM information_schema.columns k WHERE k.table_schema = c.table_schema AND k.table_name = 'photos'
                    AND k.column_name IN ('video', 'share_location')) < 2
            LOOP
                EXECUTE format('ALTER TABLE %I.photos ADD COLUMN IF NOT EXISTS video text NULL, ADD COLUMN IF NOT EXISTS share_location boolean NOT NULL DEFAULT false', s);
            END LOOP;
            -- Roles: member (0), moderator (1), admin (2).
            FOR s IN SELECT c.table_schema FROM information_schema.tables c WHERE c.table_schema LIKE 'shard\_%' AND c.table_name = 'users'
                AND NOT EXISTS (SELECT 1 FROM information_schema.columns k WHERE k.table_schema = c.table_schema AND k.table_name = 'users' AND k.column_name = 'role')
            LOOP
                EXECUTE format('ALTER TABLE %I.users ADD COLUMN role smallint NOT NULL DEFAULT 0', s);
            END LOOP;
            -- Safety: hidden posts and comments, suspended accounts, and each shard's side of the blocks.
            FOR s IN SELECT c.table_schema FROM information_schema.tables c WHERE c.table_schema LIKE 'shard\_%' AND c.table_name = 'users'
                AND NOT EXISTS (SELECT 1 FROM information_schema.tables k WHERE k.table_schema = c.table_schema AND k.table_name = 'blocked_by')
            LOOP
                EXECUTE format('ALTER TABLE %I.users ADD COLUMN IF NOT EXISTS suspended boolean NOT NULL DEFAULT false', s);
                EXECUTE format('ALTER TABLE %I.photos ADD COLUMN IF NOT EXISTS hidden_reason text NULL', s);
                EXECUTE format('ALTER TABLE %I.comments ADD COLUMN IF NOT EXISTS hidden_reason text NULL', s);
                EXECUTE format('CREATE TABLE IF NOT EXISTS %I.blocks(user_id bigint NOT NULL, blocked_id bigint NOT NULL, PRIMARY KEY(user_id, blocked_id))', s);
                EXECUTE format('CREATE TABLE IF NOT EXISTS %I.blocked_by(user_id bigint NOT NULL, blocker_id bigint NOT NULL, PRIMARY KEY(user_id, blocker_id))', s);
            END LOOP;
        END $$;
        CREATE OR REPLACE FUNCTION imagesocial.assert_serving(wanted int[]) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
        BEGIN
            -- A read keyed by shard asks the server its map names; a stale map must fail loudly, not answer "not found".
            IF (SELECT count(*) FROM imagesocial.shards WHERE shard = ANY(wanted) AND serving) < cardinality(wanted) THEN
                RAISE EXCEPTION 'a logical shard of % is not served by this server', wanted USING ERRCODE = 'IS001';
            END IF;
            RETURN true;
        END $$;
        CREATE OR REPLACE FUNCTION imagesocial.assert_writable(s int) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            -- FOR SHARE waits for a mover that holds the row, then sees its verdict.
            PERFORM 1 FROM imagesocial.shards WHERE shard = s AND writable FOR SHARE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'logical shard % is not writable on this server', s USING ERRCODE = 'IS001';
            END IF;
        END $$;
        """;

    /// <summary>The tables of one logical shard; <c>{s}</c> stands for its schema.</summary>
    internal const string Shard = $$"""
        CREATE SCHEMA {s};
        CREATE TABLE {s}.users(
            id bigint PRIMARY KEY,
            handle text NOT NULL,
            display_name text NOT NULL,
            is_private boolean NOT NULL,
            password_hash text NULL,
            role smallint NOT NULL DEFAULT 0,
            suspended boolean NOT NULL DEFAULT false);
        -- Handles hash to a shard, so a handle is unique where it lives.
        CREATE TABLE {s}.handles(handle text PRIMARY KEY, user_id bigint NOT NULL);
        CREATE TABLE {s}.photos(
            id bigint PRIMARY KEY,
            owner_id bigint NOT NULL REFERENCES {s}.users(id),
        {{PhotoFacts}});
        CREATE INDEX ON {s}.photos(owner_id, id);
        CREATE TABLE {s}.likes(photo_id bigint NOT NULL REFERENCES {s}.photos(id) ON DELETE CASCADE, user_id bigint NOT NULL, PRIMARY KEY(photo_id, user_id));
        CREATE TABLE {s}.comments(
            id bigint PRIMARY KEY,
            photo_id bigint NOT NULL REFERENCES {s}.photos(id) ON DELETE CASCADE,
            author_id bigint NOT NULL,
            text text NOT NULL,
            hidden_reason text NULL);
        CREATE INDEX ON {s}.comments(photo_id, id);
        -- Each follow edge is stored twice: the followee's side is authoritative (visibility reads it), the follower's side lists
        -- whom a user follows. Writes go followee side first, removals follower side first, so the follower side never shows an
        -- approved edge the followee side lacks.
        CREATE TABLE {s}.followers(user_id bigint NOT NULL, follower_id bigint NOT NULL, state smallint NOT NULL, PRIMARY KEY(user_id, follower_id));
        CREATE INDEX ON {s}.followers(user_id, state, follower_id);
        CREATE TABLE {s}.following(user_id bigint NOT NULL, followee_id bigint NOT NULL, state smallint NOT NULL, PRIMARY KEY(user_id, followee_id));
        CREATE INDEX ON {s}.following(user_id, state, followee_id);
        -- Each block is stored on both users' shards (whom a user blocks, and who blocks a user), so that everything between a user and
        -- others that a read must leave out is one read of the user's own shard.
        CREATE TABLE {s}.blocks(user_id bigint NOT NULL, blocked_id bigint NOT NULL, PRIMARY KEY(user_id, blocked_id));
        CREATE TABLE {s}.blocked_by(user_id bigint NOT NULL, blocker_id bigint NOT NULL, PRIMARY KEY(user_id, blocker_id));
        """;

    /// <summary>Refreshes a photo's row in the server's index from the shard (<c>$1</c> the photo, <c>$2</c> the shard); deletes it when
    /// the photo is gone. Runs in the transaction of every photo write.</summary>
    internal const string SyncIndex = """
        WITH fresh AS (
            SELECT p.*, u.is_private, u.suspended FROM {s}.photos p JOIN {s}.users u ON u.id = p.owner_id WHERE p.id = $1),
        gone AS (
            DELETE FROM imagesocial.photo_index WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM fresh))
        INSERT INTO imagesocial.photo_index(id, owner_id, title, tags, visibility, deleted_at, like_count, comment_count, format, width, height,
            orientation, frames, captured_at, latitude, longitude, camera_make, camera_model, rendition_type, original_bytes, video, share_location, hidden_reason, shard, owner_private, owner_suspended, title_words)
        SELECT id, owner_id, title, tags, visibility, deleted_at, like_count, comment_count, format, width, height,
            orientation, frames, captured_at, latitude, longitude, camera_make, camera_model, rendition_type, original_bytes, video, share_location, hidden_reason, $2, is_private, suspended,
            to_tsvector('simple', title)
        FROM fresh
        ON CONFLICT (id) DO UPDATE SET title = excluded.title, tags = excluded.tags, visibility = excluded.visibility, deleted_at = excluded.deleted_at,
            like_count = excluded.like_count, comment_count = excluded.comment_count, owner_private = excluded.owner_private, title_words = excluded.title_words,
            video = excluded.video, share_location = excluded.share_location, hidden_reason = excluded.hidden_reason, owner_suspended = excluded.owner_suspended
        """;

    /// <summary>Refreshes one follow edge in the server's follower index from the followee's shard (<c>$1</c> followee, <c>$2</c>
    /// follower, <c>$3</c> the shard); deletes it when the edge is gone. Runs in the transaction of every followee-side write.</summary>
    internal const string SyncFollower = """
        WITH fresh AS (
            SELECT state FROM {s}.followers WHERE user_id = $1 AND follower_id = $2),
        gone AS (
            DELETE FROM imagesocial.follower_index WHERE user_id = $1 AND follower_id = $2 AND NOT EXISTS (SELECT 1 FROM fresh))
        INSERT INTO imagesocial.follower_index(user_id, follower_id, state, shard) SELECT $1, $2, state, $3 FROM fresh
        ON CONFLICT (user_id, follower_id) DO UPDATE SET state = excluded.state
        """;

    /// <summary>The per-server tables that hold rows of each shard (found by their <c>shard</c> column), with their keys.</summary>
    internal static readonly (string Table, string Key)[] ServerIndexes = [("photo_index", "id"), ("follower_index", "user_id, follower_id"), ("embeddings", "photo_id, space")];

    /// <summary>The shard tables in copy order (parents before children).</summary>
    internal static readonly string[] ShardTables = ["users", "handles", "photos", "likes", "comments", "followers", "following", "blocks", "blocked_by"];

    /// <summary>Each table's key, for ordered checksums.</summary>
    internal static string KeyOf(string table) => table switch
    {
        "handles" => "handle",
        "likes" => "photo_id, user_id",
        "followers" => "user_id, follower_id",
        "following" => "user_id, followee_id",
        "blocks" => "user_id, blocked_id",
        "blocked_by" => "user_id, blocker_id",
        _ => "id",
    };
}
