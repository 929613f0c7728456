"""A believable demo newsroom for development and first-time visitors.

`load_demo()` builds the union-body tree of the seed page, its reporters, about
forty stories spread over the last two weeks in every workflow state, photos
drawn with Pillow, three accounts, and three days of the printed paper with the
stories placed on its pages (demo/epaper.py). Everything is looked up by a natural
key first, so running it again changes nothing.
"""

import io
import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image, ImageDraw

from articles.models import Article, ArticlePhoto, Byline, Photo, Reporter, UnionBody
from articles.photos import ingest_photo
from articles.services import revisions, workflow

from .epaper import load_epaper

K = UnionBody.Kind

# (name, short name, slug, kind, parent slug, aliases)
UNION_BODIES = [
    ("北京市总工会", "市总工会", "bjzgh", K.MUNICIPAL, None, "市总工会\n北京市总"),
    ("石景山区总工会", "石景山", "shijingshan", K.DISTRICT, "bjzgh", "石景山区工会"),
    ("昌平区总工会", "昌平", "changping", K.DISTRICT, "bjzgh", "昌平区工会"),
    ("朝阳区总工会", "朝阳", "chaoyang", K.DISTRICT, "bjzgh", "朝阳区工会"),
    ("奥运村街道总工会", "奥运村", "aoyuncun", K.STREET, "chaoyang", "奥运村街道工会"),
    ("朝外街道总工会", "朝外", "chaowai", K.STREET, "chaoyang", "朝外街道工会"),
    ("北汽集团工会", "北汽", "baic", K.ENTERPRISE, "bjzgh", "北汽集团\n北京汽车集团工会"),
    ("北京建工集团工会", "北京建工", "bceg", K.ENTERPRISE, "bjzgh", "建工集团工会"),
    ("北京建工机施集团工会", "建工机施", "bceg-jishi", K.ENTERPRISE, "bceg", "机施集团工会"),
]

# (name, slug, role)
R = Reporter.Role
REPORTERS = [
    ("张晶", "zhang-jing", R.REPORTER),
    ("周美玉", "zhou-meiyu", R.REPORTER),
    ("马超", "ma-chao", R.REPORTER),
    ("刘欣欣", "liu-xinxin", R.REPORTER),
    ("边磊", "bian-lei", R.PHOTOGRAPHER),
    ("王立新", "wang-lixin", R.CORRESPONDENT),
    ("陈思远", "chen-siyuan", R.EDITOR),
]

# Each topic is written once and set in several union bodies: (kicker, title, lead, paragraphs).
TOPICS = [
    (
        "以赛促学 以学促干",
        "{short}举办职工技能竞赛",
        "近日，{name}举办职工技能竞赛，来自基层工会的{n}支队伍同台比拼，检验岗位本领。",
        [
            "竞赛设理论答题和实际操作两个环节，内容涵盖安全生产规程、岗位操作规范和新技术应用。",
            "赛场上，选手们沉着应对、配合默契，评委从操作规范、完成时间和成果质量三方面打分。",
            "{name}相关负责人表示，将把竞赛成绩与职工技能提升、评先评优结合起来，推动形成比学赶超的良好氛围。",
        ],
    ),
    (
        "",
        "{short}开展集体协商培训",
        "为提升基层工会干部的协商能力，{name}近日举办集体协商专题培训，{n}名工会干部参加。",
        [
            "培训邀请劳动关系专家授课，围绕工资专项集体协商的流程、协商要点和常见问题进行讲解。",
            "学员们分成“企业方”和“职工方”进行模拟协商，在实战演练中掌握沟通技巧。",
            "参训干部表示，培训内容贴近实际，回去后将把所学用到为职工争取合法权益的工作中。",
        ],
    ),
    (
        "情暖职工 服务到心",
        "{short}为一线职工送清凉",
        "{name}近日走访辖区建筑工地、快递网点和环卫站点，为一线职工送去防暑降温用品。",
        [
            "此次活动共走访站点{n}个，发放藿香正气水、绿豆、毛巾等物资，并宣传防暑降温知识。",
            "工会干部与职工面对面交流，详细了解大家在高温天气下的工作和休息情况。",
            "{name}表示，将持续关注户外劳动者权益保障，让“职工之家”真正成为职工的贴心之家。",
        ],
    ),
    (
        "",
        "{short}举办职工急救技能培训",
        "为增强职工应急处置能力，{name}联合红十字会开展急救技能培训，{n}名职工参加。",
        [
            "培训采取理论讲授与实操练习相结合的方式，讲解心肺复苏、海姆立克急救法和自动体外除颤器的使用。",
            "职工们分组在模拟人上反复练习按压深度和频率，培训老师逐一纠正动作。",
            "考核合格的职工获得救护员证书，今后将在岗位上发挥“第一响应人”作用。",
        ],
    ),
    (
        "关爱青年职工",
        "{short}为单身青年搭建交友平台",
        "{name}日前举办青年职工联谊活动，为辖区单身青年职工搭建交流交友的平台，{n}名青年参加。",
        [
            "活动设置破冰游戏、团队协作挑战和兴趣分享等环节，青年职工在互动中逐渐熟悉。",
            "不少参加者表示，活动形式新颖、氛围轻松，既认识了新朋友，也感受到了工会的关怀。",
            "{name}相关负责人说，今后将定期举办此类活动，打造青年职工交友服务品牌。",
        ],
    ),
    (
        "提升经审工作质量",
        "{short}组织经审业务知识竞赛",
        "{name}近日组织工会经审业务知识竞赛，{n}名经审干部参加。",
        [
            "竞赛内容包括工会财务管理、经费审查审计以及相关法律法规，题型有单选、多选和案例分析。",
            "选手们认真作答，展示了扎实的业务功底，竞赛最终评出一、二、三等奖若干名。",
            "通过竞赛，经审干部进一步熟悉了业务规范，为管好用好工会经费打下基础。",
        ],
    ),
    (
        "",
        "{short}开展职工家庭开放日活动",
        "{name}近日举办职工家庭开放日，邀请{n}个职工家庭走进企业，感受发展变化。",
        [
            "职工家属们参观了生产车间和职工书屋，听讲解员介绍企业的创新成果。",
            "活动现场还设置了亲子手工、趣味游园等项目，欢声笑语不断。",
            "工会负责人表示，希望通过开放日增进家属对职工工作的理解和支持。",
        ],
    ),
    (
        "慰问困难职工",
        "{short}走访慰问困难职工家庭",
        "{name}负责同志近日带队走访慰问困难职工家庭{n}户，送去慰问金和生活用品。",
        [
            "每到一户，工会干部都仔细询问职工的身体状况、家庭收入和子女就学等情况。",
            "对于有特殊困难的家庭，工会将建立帮扶台账，实行一户一策精准帮扶。",
            "受慰问职工表示，工会的关心让他们感到温暖，对今后的生活更有信心。",
        ],
    ),
]

# Where each topic is set: round r puts topic t in body (t + 3r) mod 8, so the
# five rounds give every topic five different bodies and 40 distinct titles.
STORY_BODIES = ["shijingshan", "changping", "aoyuncun", "chaowai", "baic",
                "bceg-jishi", "chaoyang", "bjzgh"]

ACCOUNTS = [
    # (username, display, group or None for superuser, linked reporter slug)
    ("reporter", "记者 张晶", "记者", "zhang-jing"),
    ("editor", "编辑 陈思远", "编辑", "chen-siyuan"),
    ("admin", "管理员", None, None),
]


@dataclass
class Summary:
    created: dict = field(default_factory=dict)
    accounts: list = field(default_factory=list)

    def count(self, what, n=1):
        self.created[what] = self.created.get(what, 0) + n


def load_demo(out=print):
    """Create the demo newsroom; print progress to `out` and return a Summary."""
    summary = Summary()
    rng = random.Random(2025)  # the same stories every time
    # The workflow mails the people concerned; nobody needs forty demo mails.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"), \
            transaction.atomic():
        out("1/6 工会组织 …")
        bodies = _union_bodies(summary)
        out("2/6 记者 …")
        reporters = _reporters(summary)
        out("3/6 账号 …")
        users = _accounts(summary, reporters)
        out("4/6 图片 …")
        photos = _photos(summary, bodies, reporters, rng)
        out("5/6 稿件 …")
        _stories(summary, bodies, reporters, photos, users, rng)
        out("6/6 数字报 …")
        summary.count("数字报（期）", len(load_epaper(out)))
    return summary


def _union_bodies(summary):
    bodies = {}
    for order, (name, short, slug, kind, parent, aliases) in enumerate(UNION_BODIES):
        body, created = UnionBody.objects.get_or_create(
            slug=slug,
            defaults=dict(
                name=name, short_name=short, kind=kind, parent=bodies.get(parent),
                aliases=aliases, sort_order=order, description=f"{name}的新闻报道。",
            ),
        )
        bodies[slug] = body
        summary.count("工会组织", created)
    return bodies


def _reporters(summary):
    reporters = {}
    for name, slug, role in REPORTERS:
        reporter, created = Reporter.objects.get_or_create(
            slug=slug, defaults=dict(name=name, role=role)
        )
        reporters[slug] = reporter
        summary.count("记者", created)
    return reporters


def _accounts(summary, reporters):
    User = get_user_model()
    users = {}
    for username, display, group_name, reporter_slug in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(9)
            user = User.objects.create_user(
                username, password=password, is_staff=True, is_superuser=group_name is None,
                first_name=display, email=f"{username}@example.org",  # workflow mails (console)
            )
            if group_name:
                user.groups.add(Group.objects.get(name=group_name))
            summary.accounts.append((username, display, password))
            summary.count("账号")
        if reporter_slug and reporters[reporter_slug].user_id is None:
            reporters[reporter_slug].user = user
            reporters[reporter_slug].save(update_fields=["user"])
        users[username] = user
    return users


def draw_photo(seed, size=(1200, 800)):
    """Draw a simple scene (sky, ground, a banner, people) and return JPEG bytes."""
    rng = random.Random(seed)
    width, height = 1200, 800  # drawn at one size, scaled to the one asked for
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    top = (rng.randint(90, 140), rng.randint(150, 190), rng.randint(200, 240))
    for y in range(height):  # a vertical gradient for the sky and the floor
        shade = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(c * (1 - shade * 0.6)) for c in top))
    draw.rectangle([0, height * 0.7, width, height], fill=(200, 190, 170))
    draw.rectangle([width * 0.15, height * 0.12, width * 0.85, height * 0.26], fill=(178, 0, 12))
    for i in range(rng.randint(5, 9)):
        x = width * (0.1 + 0.8 * i / 9) + rng.randint(-20, 20)
        colour = (rng.randint(20, 80), rng.randint(40, 90), rng.randint(80, 160))
        draw.ellipse([x - 28, height * 0.45 - 28, x + 28, height * 0.45 + 28], fill=(235, 200, 170))
        draw.rounded_rectangle([x - 45, height * 0.45 + 35, x + 45, height * 0.82], 18, fill=colour)
    if size != (width, height):
        image = image.resize(size)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()


PHOTO_CAPTIONS = [
    ("职工在技能竞赛现场比拼", "shijingshan", "bian-lei"),
    ("集体协商模拟演练现场", "changping", "bian-lei"),
    ("工会干部为环卫工人送清凉", "chaowai", "bian-lei"),
    ("职工练习心肺复苏", "aoyuncun", "zhou-meiyu"),
    ("职工家庭参观生产车间", "baic", "bian-lei"),
    ("工会干部走访慰问离退休职工", "bceg-jishi", "bian-lei"),
]


def _photos(summary, bodies, reporters, rng):
    photos = []
    today = timezone.localdate()
    for index, (caption, body_slug, reporter_slug) in enumerate(PHOTO_CAPTIONS):
        photo = Photo.objects.filter(caption=caption).first()
        if photo is None:
            # Through the same ingest as an upload: checked, renditions made.
            photo = ingest_photo(
                ContentFile(draw_photo(index), name=f"demo-{index + 1}.jpg"),
                caption=caption, alt_text=caption, union_body=bodies[body_slug],
                credit_reporter=reporters[reporter_slug],
                taken_on=today - timedelta(days=index * 2),
            )
            summary.count("图片")
        photos.append(photo)
    return photos


def _status_plan(index):
    """Spread the workflow states: mostly published, some scheduled, in review and drafts."""
    if index % 8 == 6:
        return Article.Status.REVIEW
    if index % 8 == 7:
        return Article.Status.DRAFT
    if index in (5, 13):
        return "scheduled"
    return Article.Status.PUBLISHED


def _stories(summary, bodies, reporters, photos, users, rng):
    now = timezone.now()
    writers = ["zhang-jing", "zhou-meiyu", "ma-chao", "liu-xinxin", "wang-lixin"]
    index = 0
    for round_no in range(5):
        for topic_no, (kicker, title, lead, paragraphs) in enumerate(TOPICS):
            body = bodies[STORY_BODIES[(topic_no + round_no * 3) % len(STORY_BODIES)]]
            values = {"name": body.name, "short": body.short_name or body.name,
                      "n": rng.randint(6, 60)}
            full_title = title.format(**values)
            if Article.objects.filter(title=full_title).exists():
                index += 1
                continue
            _create_story(
                index, kicker, full_title, lead.format(**values),
                [p.format(**values) for p in paragraphs], body,
                reporters[writers[index % len(writers)]], photos, users, now,
            )
            summary.count("稿件")
            index += 1


def _create_story(index, kicker, title, lead, paragraphs, body, writer, photos, users, now):
    """File, review and publish one story through the workflow, then set it in the past.

    Everything a newsroom does to the story goes through articles/services/workflow.py,
    as it would in the admin. Only the clock is fabricated: a demo needs a fortnight
    of history, so `_in_the_past()` moves the times back once the workflow has run.
    """
    plan = _status_plan(index)
    reporter, editor = users["reporter"], users["editor"]
    # The demo reporter account files 张晶's stories; the editor typed up the rest.
    author = reporter if writer.user_id == reporter.pk else editor
    article = Article(kicker=kicker, title=title, lead=lead,
                      body="".join(f"<p>{p}</p>" for p in paragraphs))
    with revisions.recording(user=author, comment="新建"):
        workflow.save_article(article=article, user=author)
        article.union_bodies.add(body)
        Byline.objects.create(article=article, reporter=writer, role=_byline_role(writer), order=0)
        if index % 3 == 0:
            photo = photos[index % len(photos)]
            ArticlePhoto.objects.create(article=article, photo=photo, order=0, is_lead=True)
            if photo.credit_reporter_id != writer.pk:
                Byline.objects.create(
                    article=article, reporter=photo.credit_reporter,
                    role=Byline.Role.PHOTOGRAPHER, order=1,
                )
    if plan == Article.Status.DRAFT:
        if author == reporter:
            # One of the reporter's stories came back from the desk: the demo
            # reporter's desk shows it with the editor's reason.
            workflow.submit(article=article, user=reporter)
            workflow.return_to_reporter(
                article=article, user=editor,
                reason="导语太长，请压缩到两句话以内，并补充参赛队伍的具体名称。",
            )
        return
    workflow.submit(article=article, user=author)
    if plan == "scheduled":
        workflow.publish(article=article, user=editor, at=now + timedelta(days=1, hours=index % 5))
    elif plan == Article.Status.PUBLISHED:
        workflow.publish(article=article, user=editor)
        # Spread over the last two weeks, during working hours.
        _in_the_past(article, now - timedelta(days=index * 14 // 40, hours=(index * 7) % 9))


def _byline_role(reporter):
    if reporter.role == Reporter.Role.CORRESPONDENT:
        return Byline.Role.CORRESPONDENT
    return Byline.Role.REPORTER


def _in_the_past(article, published_at):
    """Move a freshly published story's times back to `published_at`, with its log.

    A plain save, so the model keeps its union listing and search entry in step;
    the log's times move by the same amount, in order.
    """
    shift = article.published_at - published_at
    article.published_at = published_at
    article.submitted_at -= shift
    article.save()
    for event in article.events.all():
        event.created_at -= shift
        event.save(update_fields=["created_at"])
