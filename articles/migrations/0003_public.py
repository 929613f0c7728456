"""The search index (articles/search/): one row of segmented words per article.

On PostgreSQL a GIN index on to_tsvector('simple', tokens) serves the full-text
match; SQLite matches whole words with LIKE and needs no index. Stories that
existed before this migration are indexed after `migrate` finishes, by the
current code (ArticlesConfig's post_migrate hook, `search.index_missing()`):
a migration never imports application code, which changes after it is written.
"""

import django.db.models.deletion
from django.db import migrations, models

GIN_INDEX = "articles_searchentry_tokens_gin"


def create_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON articles_searchentry"
            " USING gin (to_tsvector('simple'::regconfig, tokens))"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0002_newsroom_groups'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='articles.article')),
                ('title_tokens', models.TextField(blank=True)),
                ('tokens', models.TextField(blank=True)),
            ],
            options={
                'verbose_name': '检索索引',
                'verbose_name_plural': '检索索引',
            },
        ),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
