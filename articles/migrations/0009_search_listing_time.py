"""Search entries carry the story's listing time; PostgreSQL stores their tsvector.

A search takes its newest matches from the index table alone: walking
`published_at` newest first and checking each row's stored tsvector costs the
same for a common word (工会) as for a rare one, where recomputing
to_tsvector() per row, or gathering every GIN match first, grew with the archive.
"""

from django.db import migrations, models

OLD_GIN = "articles_searchentry_tokens_gin"
NEW_GIN = "articles_searchentry_tsv_gin"

# Stories listed publicly: published and not in the 回收站 (Article.listing_time).
BACKFILL = """
UPDATE articles_searchentry SET published_at = (
    SELECT a.published_at FROM articles_article a
    WHERE a.id = articles_searchentry.article_id
      AND a.status = 'published' AND a.deleted_at IS NULL
)
"""


def stored_tsvector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE articles_searchentry ADD COLUMN tsv tsvector"
        " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {NEW_GIN} ON articles_searchentry USING gin (tsv)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_GIN}")


def drop_stored_tsvector(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_GIN} ON articles_searchentry"
        " USING gin (to_tsvector('simple'::regconfig, tokens))"
    )
    schema_editor.execute("ALTER TABLE articles_searchentry DROP COLUMN tsv")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0008_union_recent_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchentry',
            name='published_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='searchentry',
            index=models.Index(fields=['-published_at'], name='searchentry_pub_idx'),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
        migrations.RunPython(stored_tsvector, drop_stored_tsvector),
    ]
