"""Report stories whose search entry is missing or stale (and, with --fix, re-index them)."""

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from articles.public.cache import bump_generation
from articles.search import rebuild_index, stale_entries


class Command(BaseCommand):
    help = "检查检索索引：列出索引缺失或过期的稿件；加 --fix 重建它们。"

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="重建缺失或过期的索引")

    def handle(self, *args, fix, **options):
        problems = list(stale_entries())
        for article_id, problem in problems:
            self.stdout.write(f"稿件 {article_id}：索引{problem}")
        if not problems:
            self.stdout.write(self.style.SUCCESS("检索索引完整，没有缺失或过期的稿件。"))
            return
        if fix:
            rebuild_index(Article.all_objects.filter(pk__in=[pk for pk, _ in problems]))
            bump_generation()
            self.stdout.write(self.style.SUCCESS(f"已重建 {len(problems)} 篇稿件的检索索引。"))
            return
        raise CommandError(f"{len(problems)} 篇稿件的检索索引缺失或过期；"
                           "运行 check_search_index --fix 或 rebuild_search_index。")
