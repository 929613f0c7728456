"""manage.py bench_data: fill a database with a newspaper archive for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from demo import bench


class Command(BaseCommand):
    help = (
        "生成压测数据：约 290 个工会组织、300 名记者和 N 篇稿件（每天约 30 篇，从今天往前排），"
        "带署名、所属工会和图片。只在空库或只有压测数据的库上运行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=10_000, help="稿件篇数（默认 10000）")
        parser.add_argument(
            "--reset", action="store_true", help="先清除已有的压测数据（其他数据不动）；与 --articles 0 同用即只清除"
        )
        parser.add_argument(
            "--reuse", action="store_true",
            help="已有篇数相同的压测数据时直接沿用，篇数不同则清除后重新生成",
        )
        parser.add_argument(
            "--per-day", type=int, default=bench.STORIES_PER_DAY,
            help="每天多少篇（默认 30，一家日报；省级网络可用 300）",
        )
        parser.add_argument(
            "--force", action="store_true", help="库里已有非压测内容时也照样运行（不会动那些内容）"
        )

    def handle(self, *args, articles, reset, reuse, force, per_day, **options):
        if articles < 0:
            raise CommandError("--articles 不能是负数。")
        if per_day < 1:
            raise CommandError("--per-day 至少是 1。")
        foreign = bench.foreign_content()
        if foreign and not force:
            found = "，".join(f"{what} {n}" for what, n in foreign.items())
            raise CommandError(
                f"这个数据库里已有不是压测生成的内容（{found}），为免混淆已停止。"
                "确实要在这里生成，请加 --force。"
            )
        existing = bench.bench_articles().count()
        if existing and not reset:
            if existing == articles:
                self._report(bench.summarize(reused=True))
                return
            if not reuse:
                raise CommandError(
                    f"已有 {existing:,} 篇压测稿件，与 --articles {articles:,} 不符。"
                    "加 --reset 清除后重新生成。"
                )
            reset = True
        if reset:
            bench.wipe(out=self.stdout.write)
        if articles == 0:
            return
        self._report(bench.fill_archive(articles, out=self.stdout.write, per_day=per_day))

    def _report(self, summary):
        self.stdout.write(self.style.SUCCESS("压测数据就绪："))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
