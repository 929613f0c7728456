"""Re-index every article for search (after changing the segmentation, or restoring a backup)."""

from django.core.management.base import BaseCommand

from articles.public.cache import bump_generation
from articles.search import rebuild_index


class Command(BaseCommand):
    help = "重建全部稿件的检索索引。"

    def handle(self, *args, **options):
        count = rebuild_index()
        bump_generation()  # cached search results may differ now
        self.stdout.write(self.style.SUCCESS(f"已重建 {count} 篇稿件的检索索引。"))
