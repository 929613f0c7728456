"""Re-index every article for search (after changing the segmentation, renaming union
bodies or reporters, or restoring a backup), with a progress bar."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Article
from articles.public.cache import bump_generation
from articles.search import rebuild_index


class Command(BaseCommand):
    help = "重建全部稿件的检索索引（带进度条）。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="每批稿件数（默认 200）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, batch_size, no_progress, **options):
        total = Article.all_objects.count()
        with tqdm(total=total, unit="篇", desc="重建检索索引", disable=no_progress,
                  file=self.stderr._out) as bar:
            count = rebuild_index(batch_size=batch_size, progress=lambda done: bar.update(done - bar.n))
        bump_generation()  # cached search results may differ now
        self.stdout.write(self.style.SUCCESS(f"已重建 {count} 篇稿件的检索索引。"))
