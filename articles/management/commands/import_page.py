"""manage.py import_page FILE --date YYYY-MM-DD [--page N] [--status draft|review] [--dry-run]"""

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.importer.load import import_page, plan_import
from articles.importer.parser import PageImportError
from articles.services.permissions import SystemActor
from articles.services.workflow import NotAllowed


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期“{value}”的格式不对，应为 YYYY-MM-DD。") from None


class Command(BaseCommand):
    help = "把一个版面的文字导入为稿件（草稿或待审）。同一版面再次导入不会重复建稿。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="版面文字文件（UTF-8 或 GBK）")
        parser.add_argument("--date", required=True, type=_date, help="见报日期 YYYY-MM-DD")
        parser.add_argument("--page", type=int, help="版面号")
        parser.add_argument("--status", choices=["draft", "review"], default="draft")
        parser.add_argument("--user", help="记为导入人的编辑的用户名（不填则记为“系统（import_page 命令）”）")
        parser.add_argument("--dry-run", action="store_true", help="只显示将要导入的内容，不写入")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}") from None
        user = SystemActor("import_page 命令")
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"没有用户“{options['user']}”。")
        kwargs = dict(
            print_date=options["date"], print_page=options["page"], status=options["status"],
            source_name=path.name,
        )
        try:
            if options["dry_run"]:
                plan = plan_import(data, **kwargs)
                self._show(plan)
                self.stdout.write("（试运行，没有写入任何内容）")
                return
            result = import_page(data, user=user, **kwargs)
        except PageImportError as error:
            raise CommandError(f"{path.name} {error}") from None
        except NotAllowed as error:
            raise CommandError(f"用户“{options['user']}”不能导入版面：{error.message}") from None
        self._show(result.plan)
        self.stdout.write(self.style.SUCCESS(
            f"已导入 {len(result.created)} 篇，跳过已存在的 {len(result.plan.skipped)} 篇。"
        ))
        for article, why in result.kept_as_drafts:
            self.stdout.write(self.style.WARNING(f"《{article.title}》已导入为草稿，未能送审：{why}"))
        for reporter in result.new_reporters:
            self.stdout.write(self.style.WARNING(
                f"新建了待核实的作者“{reporter.name}”（{reporter.slug}），请管理员核实后启用。"
            ))

    def _show(self, plan):
        if plan.banner:
            self.stdout.write(f"版面：{plan.banner}")
        if plan.proposed:
            self.stdout.write("（没有“## ”标记：主题和分界由系统识别；行号指加了标记的文字，导入后可在稿件里修改）")
        for note in plan.notes:
            self.stdout.write(self.style.WARNING(f"请核对（第 {note.line} 行）：{note.message}"))
        for story_plan in plan.stories:
            story = story_plan.story
            mark = "新建" if story_plan.will_create else "已存在，跳过"
            head = f"【{story.kicker}】{story.title}" if story.kicker else story.title
            credits = " ".join(
                f"{c.name}{'（新）' if c.is_new else ''}" for c in story_plan.credits
            ) or "无署名"
            bodies = "、".join(body.name for body in story_plan.union_bodies) or "无"
            self.stdout.write(
                f"[{mark}] {head}\n    署名：{credits}；工会：{bodies}；段落：{len(story.paragraphs)}"
            )
            for note in story_plan.notes:
                self.stdout.write(self.style.WARNING(f"    请核对（第 {note.line} 行）：{note.message}"))
            for join in story.doubtful_joins:
                self.stdout.write(self.style.WARNING(
                    f"    分栏接续读不通（第 {join.line} 行）：…{join.before}｜{join.after}…"
                ))
