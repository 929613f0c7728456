"""The inverted index (SearchTerm): a row per (term, listed story), read in key order.

Replaces the stored tsvector of 0009 on PostgreSQL (its GIN index is no longer
read, only written). Every entry is emptied so that `migrate`'s post_migrate
hook (articles/apps.py, `index_missing`) re-indexes every story with today's
code, postings included.
"""

import django.db.models.deletion
from django.db import migrations, models


def drop_stored_tsvector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS articles_searchentry_tsv_gin")
        schema_editor.execute("ALTER TABLE articles_searchentry DROP COLUMN IF EXISTS tsv")


def restore_stored_tsvector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE articles_searchentry ADD COLUMN tsv tsvector"
            " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, tokens)) STORED"
        )
        schema_editor.execute("CREATE INDEX articles_searchentry_tsv_gin ON articles_searchentry USING gin (tsv)")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0012_api'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('pk', models.CompositePrimaryKey('term', 'published_at', 'article', blank=True, editable=False, primary_key=True, serialize=False)),
                ('term', models.CharField(max_length=64)),
                ('published_at', models.DateTimeField()),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='search_terms', to='articles.article')),
            ],
            options={
                'verbose_name': '检索词条',
                'verbose_name_plural': '检索词条',
            },
        ),
        migrations.RunPython(drop_stored_tsvector, restore_stored_tsvector),
        migrations.RunSQL("DELETE FROM articles_searchentry", migrations.RunSQL.noop),
    ]
