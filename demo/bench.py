"""A newspaper archive at scale, for benchmarks: `manage.py bench_data --articles N`.

`fill_archive()` builds a union tree of a few hundred bodies (municipal →
districts → streets; industries → enterprises), a few hundred reporters and N
stories, about thirty a day going back from today, with bylines, union bodies
and photos, mostly published, the newest few in draft or review.

Bench rows are recognisable, so they can be wiped without touching anything
else: union bodies and reporters have slugs starting with `bench-`, photo files
live under `bench/` in MEDIA_ROOT, and every story is created by the account
`bench-editor` (which is also the editor whose session the benchmark uses).

Every bench story is inserted by `create_stories()`: anything that must be
written beside a story (a search index, say) belongs there, in bulk.
"""

import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, reset_queries, transaction
from django.db.models import Count, Exists, F, OuterRef, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from articles import search
from articles.models import (
    Article,
    ArticleEvent,
    ArticlePhoto,
    ArticleUnionBody,
    Byline,
    Correction,
    EditorialComment,
    Photo,
    Reporter,
    SearchEntry,
    SearchTerm,
    ShareLink,
    UnionBody,
)
from articles.public.cache import bump_generation
from articles.services import review

from .demo import draw_photo

SLUG_PREFIX = "bench-"
BENCH_USERNAME = "bench-editor"
PHOTO_FOLDER = "bench"
PHOTO_FILES = 8  # real JPEGs on disk, shared by every photo record
STORIES_PER_DAY = 30
BATCH = 2000

K = UnionBody.Kind

DISTRICTS = [
    ("东城区", "dongcheng"), ("西城区", "xicheng"), ("朝阳区", "chaoyang"),
    ("海淀区", "haidian"), ("丰台区", "fengtai"), ("石景山区", "shijingshan"),
    ("门头沟区", "mentougou"), ("房山区", "fangshan"), ("通州区", "tongzhou"),
    ("顺义区", "shunyi"), ("昌平区", "changping"), ("大兴区", "daxing"),
    ("怀柔区", "huairou"), ("平谷区", "pinggu"), ("密云区", "miyun"), ("延庆区", "yanqing"),
]
STREETS_PER_DISTRICT = 10
STREET_FIRST = "东西南北中新永安和长丰金花青龙双富德"
STREET_SECOND = ["关", "门", "桥", "营", "庄", "园", "台", "湖", "坊", "里", "村", "口"]

INDUSTRIES = [
    ("建设", "jianshe"), ("教育", "jiaoyu"), ("卫生健康", "weisheng"), ("交通运输", "jiaotong"),
    ("商贸", "shangmao"), ("邮政", "youzheng"), ("金融", "jinrong"), ("能源化学", "nenghua"),
    ("机械冶金建材", "jiye"), ("农林水利", "nonglin"),
]
ENTERPRISES_PER_INDUSTRY = 10
ENTERPRISE_PREFIX = "京华燕首鑫安恒泰宏远诚盛兴隆博瑞"
ENTERPRISE_SUFFIX = ["集团", "股份有限公司", "控股集团", "有限公司", "实业集团"]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = ["晶", "美玉", "超", "欣欣", "磊", "立新", "思远", "静", "伟", "芳", "敏", "军", "洋",
         "艳", "勇", "杰", "娟", "涛", "明", "超群", "丽华", "建国", "晓峰", "雪", "海燕", "志强"]
REPORTER_COUNT = 300

KICKERS = ["以赛促学 以学促干", "情暖职工 服务到心", "关爱一线劳动者", "深化产业工人队伍建设改革",
           "维护职工合法权益", "建设职工之家", "弘扬劳模精神", "", "", ""]
ACTIONS = [
    ("举办职工技能竞赛", "技能竞赛"), ("开展集体协商培训", "集体协商"), ("为一线职工送清凉", "送清凉"),
    ("举办职工急救技能培训", "急救培训"), ("组织经审业务知识竞赛", "经审竞赛"),
    ("走访慰问困难职工家庭", "困难帮扶"), ("召开工会会员代表大会", "会员代表大会"),
    ("开展工资集体协商要约行动", "集体协商"), ("举办劳模工匠进基层宣讲", "劳模宣讲"),
    ("建成职工书屋", "职工书屋"), ("开展“金秋助学”活动", "金秋助学"), ("举办青年职工联谊会", "青年联谊"),
    ("推进新就业形态劳动者入会", "新业态入会"), ("开展女职工权益保护专项行动", "女职工维权"),
    ("举办职工运动会", "职工运动会"), ("开展安全生产月活动", "安全生产"),
]
LEAD = [
    "近日，{name}{action}，{n}名职工参加。",
    "为进一步做好服务职工工作，{name}日前{action}，来自基层工会的{n}支队伍参与其中。",
    "{name}近日{action}，覆盖{n}家基层单位，受到职工普遍欢迎。",
]
PARAGRAPHS = [
    "活动中，工会干部深入一线，与职工面对面交流，详细了解大家在工作和生活中遇到的困难。",
    "{short}相关负责人表示，将持续把维护职工合法权益作为工会工作的出发点和落脚点。",
    "集体协商是协调劳动关系的重要手段，通过平等协商，企业和职工在工资、工时、劳动保护等方面达成共识。",
    "培训采取专题授课、案例分析和模拟演练相结合的方式，帮助基层工会干部提升履职能力。",
    "职工们纷纷表示，工会组织的活动贴近实际、形式新颖，让大家感受到了“职工之家”的温暖。",
    "下一步，{short}将健全服务职工工作体系，推动工会工作向基层延伸、向新就业形态劳动者覆盖。",
    "现场还设置了法律咨询、心理健康和技能提升等服务台，为职工提供一站式服务。",
    "据介绍，今年以来，全市各级工会已开展各类服务活动{n}场次，惠及职工数万人次。",
    "评委从操作规范、完成时间和成果质量三方面打分，最终评出一等奖、二等奖和三等奖若干名。",
    "工会干部与企业方代表围绕工资增长机制、休息休假和职业健康等议题进行了深入协商。",
]
CAPTIONS = ["职工在竞赛现场比拼", "集体协商模拟演练现场", "工会干部为一线职工送清凉",
            "职工练习心肺复苏", "劳模工匠与青年职工交流", "工会干部走访慰问困难职工"]


@dataclass
class StorySpec:
    """One story to insert: the Article's fields, then its links."""

    fields: dict
    union_ids: list
    bylines: list  # [(reporter_id, Byline.Role)] in print order
    photos: list = field(default_factory=list)  # [dict of Photo fields]; the first is the lead


@dataclass
class Summary:
    union_bodies: int = 0
    reporters: int = 0
    stories: int = 0
    by_status: dict = field(default_factory=dict)
    bylines: int = 0
    union_links: int = 0
    photos: int = 0
    first_day: object = None
    last_day: object = None
    seconds: float = 0.0
    reused: bool = False

    def lines(self):
        status = "，".join(f"{Article.Status(s).label} {n:,}" for s, n in sorted(self.by_status.items()))
        span = f"{self.first_day} 至 {self.last_day}" if self.first_day else "—"
        return [
            f"工会组织 {self.union_bodies:,}，记者 {self.reporters:,}",
            f"稿件 {self.stories:,}（{status or '无'}），时间跨度 {span}",
            f"署名 {self.bylines:,}，所属工会 {self.union_links:,}，图片 {self.photos:,}",
            f"用时 {self.seconds:.1f} 秒" + ("（已有同样规模的数据，未重新生成）" if self.reused else ""),
        ]


# --- What is bench data -------------------------------------------------------


def bench_user():
    return get_user_model().objects.filter(username=BENCH_USERNAME).first()


def bench_articles():
    return Article.objects.filter(created_by__username=BENCH_USERNAME)


def foreign_content():
    """Counts of rows that bench_data did not make (a real newsroom's content)."""
    found = {
        "稿件": Article.objects.exclude(created_by__username=BENCH_USERNAME).count(),
        "工会组织": UnionBody.objects.exclude(slug__startswith=SLUG_PREFIX).count(),
        "记者": Reporter.objects.exclude(slug__startswith=SLUG_PREFIX).count(),
        "图片": Photo.objects.exclude(image__startswith=f"{PHOTO_FOLDER}/").count(),
    }
    return {what: n for what, n in found.items() if n}


def summarize(seconds=0.0, reused=False):
    articles = bench_articles()
    days = articles.filter(published_at__isnull=False).order_by("published_at")
    first, last = days.values_list("published_at", flat=True)[:1], days.reverse().values_list(
        "published_at", flat=True)[:1]
    by_status = dict(articles.order_by().values_list("status").annotate(n=Count("pk")))
    return Summary(
        union_bodies=UnionBody.objects.filter(slug__startswith=SLUG_PREFIX).count(),
        reporters=Reporter.objects.filter(slug__startswith=SLUG_PREFIX).count(),
        stories=sum(by_status.values()),
        by_status=by_status,
        bylines=Byline.objects.filter(article__in=articles).count(),
        union_links=ArticleUnionBody.objects.filter(article__in=articles).count(),
        photos=Photo.objects.filter(image__startswith=f"{PHOTO_FOLDER}/").count(),
        first_day=timezone.localdate(first[0]) if first else None,
        last_day=timezone.localdate(last[0]) if last else None,
        seconds=seconds,
        reused=reused,
    )


def wipe(out=print):
    """Delete every bench row, in plain DELETEs (the ORM would load each story first)."""
    user = bench_user()
    if user is not None:
        stories = f"SELECT id FROM {Article._meta.db_table} WHERE created_by_id = %s"
        with transaction.atomic(), connection.cursor() as cursor:
            for model in (ArticleEvent, ArticlePhoto, Byline, ArticleUnionBody, SearchEntry, SearchTerm,
                          EditorialComment, ShareLink, Correction):
                cursor.execute(
                    f"DELETE FROM {model._meta.db_table} WHERE article_id IN ({stories})",
                    [user.pk],
                )
            cursor.execute(f"DELETE FROM {Article._meta.db_table} WHERE created_by_id = %s",
                           [user.pk])
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {Photo._meta.db_table} WHERE image LIKE %s",
                           [f"{PHOTO_FOLDER}/%"])
        Reporter.objects.filter(slug__startswith=SLUG_PREFIX).delete()
        # PROTECT on the parent link: remove the tree leaves first.
        bodies = UnionBody.objects.filter(slug__startswith=SLUG_PREFIX)
        for _ in range(10):  # the bench tree is three levels deep
            leaves = bodies.exclude(Exists(UnionBody.objects.filter(parent=OuterRef("pk"))))
            if not leaves.exists():
                break
            UnionBody.objects.filter(pk__in=list(leaves.values_list("pk", flat=True))).delete()
    out("已清除压测数据。")


# --- Building -----------------------------------------------------------------


def fill_archive(articles, out=print, seed=2025, per_day=STORIES_PER_DAY):
    """Create the bench tree, roster and `articles` stories, `per_day` a day; return a Summary."""
    started = time.monotonic()
    rng = random.Random(seed)
    with transaction.atomic():
        user = _bench_editor()
        bodies = _union_tree()
        out(f"工会组织 {len(bodies['names'])} 个")
        reporters = _reporters(rng)
        out(f"记者 {sum(map(len, reporters.values()))} 名")
        photo_files = _photo_files()
    now = timezone.now()
    made = 0
    for start in range(0, articles, BATCH):
        specs = [_story(i, now, bodies, reporters, photo_files, rng, per_day)
                 for i in range(start, min(start + BATCH, articles))]
        with transaction.atomic():
            create_stories(specs, created_by=user)
        reset_queries()  # with DEBUG on, Django would keep every multi-megabyte INSERT
        made += len(specs)
        out(f"稿件 {made:,}/{articles:,}  {time.monotonic() - started:5.1f} 秒")
    _backdate(user)
    _analyze()
    return summarize(seconds=time.monotonic() - started)


def create_stories(specs, *, created_by):
    """Insert a batch of stories with their bylines, union bodies and photos, in bulk.

    The one door every bench story goes through. Bulk inserts skip Article.save()
    and the signals, so what they would keep in step is brought in step by the
    domain's own bulk functions: the union links' listing times
    (`ArticleQuerySet.sync_listing`), the search entries (`search.index_new`) and
    the page cache (`bump_generation`). Bodies are written clean already.
    """
    # Stories in review wait at the first level of the default policy, as a submission would put them.
    waiting = review.setup().default
    first = {"review_level_id": waiting.levels[0].id, "review_policy_id": waiting.id or None}
    articles = Article.objects.bulk_create(
        [Article(created_by=created_by, **spec.fields,
                 **(first if spec.fields.get("status") == Article.Status.REVIEW else {}))
         for spec in specs], batch_size=BATCH
    )
    links, bylines, photos, placements = [], [], [], []
    for article, spec in zip(articles, specs):
        links += [ArticleUnionBody(article=article, union_body_id=union_id)
                  for union_id in spec.union_ids]
        bylines += [Byline(article=article, reporter_id=reporter_id, role=role, order=order)
                    for order, (reporter_id, role) in enumerate(spec.bylines)]
        for order, photo_fields in enumerate(spec.photos):
            photo = Photo(**photo_fields)
            photos.append(photo)
            placements.append(ArticlePhoto(article=article, photo=photo, order=order,
                                           is_lead=order == 0))
    ArticleUnionBody.objects.bulk_create(links, batch_size=BATCH)
    Byline.objects.bulk_create(bylines, batch_size=BATCH)
    Photo.objects.bulk_create(photos, batch_size=BATCH)
    for placement in placements:
        placement.photo_id = placement.photo.pk
    ArticlePhoto.objects.bulk_create(placements, batch_size=BATCH)
    Article.all_objects.filter(pk__in=[article.pk for article in articles]).sync_listing()
    search.index_new(articles, batch_size=BATCH)
    # Bulk inserts send no signals: invalidate the cached public pages ourselves.
    bump_generation()
    return articles


def _bench_editor():
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=BENCH_USERNAME,
        defaults=dict(first_name="压测编辑", is_staff=True, is_active=True),
    )
    if created:
        user.set_unusable_password()  # the benchmark logs in with a session, never a password
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name="编辑"))
    return user


def _union_tree():
    """About 290 bodies: the city, its districts and streets, industries and enterprises.

    Returns {"root": id, "districts": [...], "streets": [...], "industries": [...],
    "enterprises": [...]} of ids.
    """
    taken = set(UnionBody.objects.exclude(slug__startswith=SLUG_PREFIX)
                .values_list("name", flat=True))
    rows = []  # (slug, name, short, kind, parent slug)

    def add(slug, name, short, kind, parent):
        if name in taken:  # a real newsroom already has it (only with --force)
            name = f"{name}（压测）"
        rows.append((SLUG_PREFIX + slug, name, short, kind, parent and SLUG_PREFIX + parent))

    add("bjzgh", "北京市总工会", "市总工会", K.MUNICIPAL, None)
    stems = [a + b for a in STREET_FIRST for b in STREET_SECOND]
    random.Random(7).shuffle(stems)
    stems = iter(stems)
    for district, slug in DISTRICTS:
        add(slug, f"{district}总工会", district.removesuffix("区"), K.DISTRICT, "bjzgh")
        for s in range(STREETS_PER_DISTRICT):
            stem = next(stems)
            add(f"{slug}-s{s + 1}", f"{stem}街道总工会", stem, K.STREET, slug)
    for industry, slug in INDUSTRIES:
        add(slug, f"北京市{industry}工会", f"{industry}工会", K.INDUSTRY, "bjzgh")
        for e in range(ENTERPRISES_PER_INDUSTRY):
            prefix = ENTERPRISE_PREFIX[(e * 3 + len(slug)) % len(ENTERPRISE_PREFIX)]
            suffix = ENTERPRISE_SUFFIX[e % len(ENTERPRISE_SUFFIX)]
            short = f"{prefix}{industry[:2]}{e + 1}"
            add(f"{slug}-e{e + 1}", f"北京{short}{suffix}工会", short, K.ENTERPRISE, slug)

    ids = dict(UnionBody.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", "id"))
    for level in range(3):  # parents before children
        batch = [
            UnionBody(slug=slug, name=name, short_name=short, kind=kind, sort_order=n,
                      parent_id=ids[parent] if parent else None,
                      description=f"{name}的新闻报道。")
            for n, (slug, name, short, kind, parent) in enumerate(rows)
            if slug not in ids and (parent is None or parent in ids)
        ]
        for body in UnionBody.objects.bulk_create(batch):
            ids[body.slug] = body.pk
    kinds, names = {}, {}
    for pk, kind, name in UnionBody.objects.filter(slug__startswith=SLUG_PREFIX).values_list(
            "id", "kind", "name"):
        kinds[pk], names[pk] = kind, name
    by_kind = {kind: sorted(i for i, k in kinds.items() if k == kind) for kind in set(kinds.values())}
    return {
        "root": ids[SLUG_PREFIX + "bjzgh"],
        "districts": by_kind.get(K.DISTRICT, []),
        "streets": by_kind.get(K.STREET, []),
        "industries": by_kind.get(K.INDUSTRY, []),
        "enterprises": by_kind.get(K.ENTERPRISE, []),
        "names": names,
    }


def _reporters(rng):
    R = Reporter.Role
    if not Reporter.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        roles = [R.REPORTER] * 7 + [R.PHOTOGRAPHER] + [R.CORRESPONDENT] * 2
        Reporter.objects.bulk_create([
            Reporter(name=rng.choice(SURNAMES) + rng.choice(GIVEN), slug=f"{SLUG_PREFIX}r{n:03d}",
                     role=roles[n % len(roles)])
            for n in range(1, REPORTER_COUNT + 1)
        ])
    by_role = {}
    for pk, role in Reporter.objects.filter(slug__startswith=SLUG_PREFIX).values_list("pk", "role"):
        by_role.setdefault(role, []).append(pk)
    return by_role


def _photo_files():
    """A handful of real JPEGs under MEDIA_ROOT/bench/, drawn once and reused."""
    folder = Path(settings.MEDIA_ROOT) / PHOTO_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for n in range(PHOTO_FILES):
        path = folder / f"photo-{n}.jpg"
        if not path.exists():
            path.write_bytes(draw_photo(100 + n))
        names.append(f"{PHOTO_FOLDER}/photo-{n}.jpg")
    return names


def _status(i):
    """Mostly published; among the newest stories some drafts, some in review, a few scheduled."""
    if i < 5:
        return "scheduled"
    if i < 900 and i % 10 == 3:
        return Article.Status.DRAFT
    if i < 900 and i % 20 == 7:
        return Article.Status.REVIEW
    if i % 400 == 11:  # an abandoned draft now and then
        return Article.Status.DRAFT
    return Article.Status.PUBLISHED


def _story(i, now, bodies, reporters, photo_files, rng, per_day=STORIES_PER_DAY):
    """Story number i, counted back from now at about `per_day` stories a day."""
    R, B = Reporter.Role, Byline.Role
    plan = _status(i)
    when = now - timedelta(seconds=i * 86400 / per_day + rng.randint(0, 2000))
    if plan == "scheduled":
        when = now + timedelta(hours=6 + i * 3)
    status = Article.Status.PUBLISHED if plan == "scheduled" else plan
    published_at = when if status == Article.Status.PUBLISHED else None

    pick = rng.random()
    if pick < 0.45:
        home = rng.choice(bodies["streets"])
    elif pick < 0.8:
        home = rng.choice(bodies["enterprises"])
    elif pick < 0.9:
        home = rng.choice(bodies["districts"])
    elif pick < 0.97:
        home = rng.choice(bodies["industries"])
    else:
        home = bodies["root"]
    union_ids = [home]
    extra = rng.random()
    if extra > 0.7:
        union_ids.append(rng.choice(bodies["districts"] + bodies["industries"]))
    if extra > 0.95:
        union_ids.append(bodies["root"])
    union_ids = list(dict.fromkeys(union_ids))

    name = bodies["names"][home]
    short = name.removesuffix("总工会").removesuffix("工会") or name
    action, _ = ACTIONS[rng.randrange(len(ACTIONS))]
    n = rng.randint(6, 300)
    values = {"name": name, "short": short, "action": action, "n": n}
    paragraphs = rng.sample(PARAGRAPHS, rng.randint(3, 6))

    writer_role = rng.random()
    if writer_role < 0.8:
        bylines = [(rng.choice(reporters[R.REPORTER]), B.REPORTER)]
        if rng.random() < 0.3:
            second = rng.choice(reporters[R.REPORTER])
            if second != bylines[0][0]:
                bylines.append((second, B.REPORTER))
    else:
        bylines = [(rng.choice(reporters[R.CORRESPONDENT]), B.CORRESPONDENT)]
    photos = []
    if rng.random() < 0.25 and status != Article.Status.DRAFT:
        photographer = rng.choice(reporters[R.PHOTOGRAPHER])
        bylines.append((photographer, B.PHOTOGRAPHER))
        caption = rng.choice(CAPTIONS)
        for k in range(1 if rng.random() < 0.8 else 2):
            photos.append(dict(
                image=photo_files[(i + k) % len(photo_files)], width=1200, height=800,
                caption=f"{short}：{caption}", alt_text=caption, credit_reporter_id=photographer,
                union_body_id=home, taken_on=timezone.localdate(when),
            ))

    return StorySpec(
        fields=dict(
            kicker=KICKERS[rng.randrange(len(KICKERS))],
            title=f"{short}{action}",
            source_label="本报讯",
            lead=LEAD[i % len(LEAD)].format(**values),
            body="".join(f"<p>{p.format(**values)}</p>" for p in paragraphs),
            status=status,
            published_at=published_at,
            print_date=timezone.localdate(when) if published_at else None,
            print_page=rng.randint(1, 8) if published_at else None,
            submitted_at=when - timedelta(hours=2) if status != Article.Status.DRAFT else None,
        ),
        union_ids=union_ids,
        bylines=bylines,
        photos=photos,
    )



def _backdate(user):
    """bulk_create stamps created/updated with now; give old stories their own times."""
    Article.objects.filter(created_by=user).update(
        created_at=Coalesce(F("submitted_at"), Value(timezone.now())) - timedelta(hours=1),
        updated_at=Coalesce(F("published_at"), F("submitted_at"), Value(timezone.now())),
    )


def _analyze():
    """Fresh statistics, so PostgreSQL plans for the archive that is there now."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        # VACUUM as well: the back-dating UPDATE left a dead copy of every row, and a
        # fresh visibility map lets COUNT(*) and friends use index-only scans.
        with connection.cursor() as cursor:
            # The search index too: its count reads index-only, which needs the visibility
            # map, and autovacuum would otherwise start on a fresh archive mid-benchmark.
            for model in (Article, ArticleUnionBody, Byline, ArticlePhoto, Photo, UnionBody,
                          Reporter, SearchEntry, SearchTerm):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")

