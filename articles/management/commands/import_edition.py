"""manage.py import_edition FILE… --date YYYY-MM-DD [--names 要闻,工会新闻,…] [--first-page N]
[--publish | --backfill] [--user USERNAME]"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.management.commands.import_page import _date
from articles.models import Issue
from articles.services import archive, epaper
from articles.services.permissions import SystemActor
from articles.services.workflow import NotAllowed, error_text


class Command(BaseCommand):
    help = (
        "导入一期报纸的版面 PDF（每版一个文件，或一个文件含全部版面）：渲染版面图，"
        "从文字层找出稿件并与当天的稿件对应，生成热区。"
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", metavar="FILE", help="版面 PDF，按版序")
        parser.add_argument("--date", required=True, type=_date, help="出版日期 YYYY-MM-DD")
        parser.add_argument("--names", default="", help="各版版名，用逗号分隔，如：要闻,工会新闻,基层动态")
        parser.add_argument("--first-page", type=int, default=1, help="第一个文件的版次（默认 1）")
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--publish", action="store_true", help="导入后发布本期数字报")
        action.add_argument(
            "--backfill", action="store_true",
            help="补录：发布本期数字报，并把本期版面上未发布的稿件按出版日期发布（只用于过去的日期）",
        )
        parser.add_argument("--user", help="记为操作人的编辑的用户名（不填则记为“系统（import_edition 命令）”）")

    def handle(self, *args, **options):
        user = self._user(options["user"])
        day = options["date"]
        if not options["files"] and not options["backfill"]:
            raise CommandError("请给出版面 PDF 文件（或用 --backfill 补录已导入的版面）。")
        if options["first_page"] < 1:
            raise CommandError("--first-page 应为正整数。")
        files = []
        for name in options["files"]:
            path = Path(name)
            try:
                files.append((path.name, path.read_bytes()))
            except OSError as error:
                raise CommandError(f"无法读取文件 {path}：{error.strerror}") from None
        names = [n.strip() for n in options["names"].replace("，", ",").split(",")]
        try:
            if files:
                result = epaper.import_edition(
                    files=files, date=day, user=user, progress=self.stdout.write,
                    first_number=options["first_page"],
                    names={number: name for number, name in enumerate(names, start=options["first_page"]) if name},
                )
                issue = result.issue
                placed = sum(len(stories) for stories in result.placed.values())
                self.stdout.write(self.style.SUCCESS(
                    f"{day:%Y-%m-%d}：导入 {len(result.pages)} 个版面，{placed} 篇稿件有了热区。"
                ))
                unmatched = sum(len(epaper.unplaced_blocks(page)) for page in result.pages)
                if unmatched:
                    self.stdout.write(self.style.WARNING(
                        f"{unmatched} 篇文字没有对上稿件：请在后台“报纸（期）”中打开版面，"
                        "指定稿件或从版面文字新建草稿。"
                    ))
            else:
                issue = Issue.objects.filter(date=day).first()
                if issue is None:
                    raise CommandError(f"{day:%Y-%m-%d} 还没有导入任何版面。")
            if options["backfill"]:
                stories = archive.backfill_issue(issue=issue, user=user)
                self.stdout.write(self.style.SUCCESS(
                    f"补录：本期已发布，{len(stories)} 篇稿件按 {day:%Y-%m-%d} 发布。"
                ))
            elif options["publish"]:
                epaper.publish_issue(issue=issue, user=user)
                self.stdout.write(self.style.SUCCESS("本期数字报已发布。"))
        except NotAllowed as error:
            raise CommandError(error.message) from None
        except ValidationError as error:
            raise CommandError(error_text(error)) from None

    def _user(self, username):
        if not username:
            return SystemActor("import_edition 命令")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"没有用户“{username}”。")
        return user
