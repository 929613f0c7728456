"""Union bodies (工会组织) and the one reader of their tree.

Union bodies form a tree (municipal → district → street; industry → enterprise),
stored as an adjacency list. `UnionDirectory` reads the whole directory in one
query and is the only code that walks the tree: breadcrumbs, sub-bodies, the
subtree of a body ("reports of a body" include its sub-bodies'), editors' scopes
and the admin's indented list all go through it. A directory holds hundreds of
bodies, not millions, so one query and a walk in Python beat a recursive query
per level and work the same on SQLite and PostgreSQL. Every walk remembers what
it has seen, so a parent cycle written behind the model's back (`update()`)
can never make it loop.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from .links import public_url
from .text import TextCleaning

ascii_slug = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "只能使用小写英文字母、数字和连字符（例如 shijingshan）。",
)


class UnionBodyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def directory(self):
        """These bodies (by default all of them) as a UnionDirectory: one query."""
        return UnionDirectory(self)


class UnionBody(TextCleaning, models.Model):
    class Kind(models.TextChoices):
        MUNICIPAL = "municipal", "市总工会"
        DISTRICT = "district", "区总工会"
        STREET = "street", "街道·乡镇总工会"
        INDUSTRY = "industry", "产业工会"
        ENTERPRISE = "enterprise", "企业工会"
        OTHER = "other", "其他"

    name = models.CharField("名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=50, blank=True)
    slug = models.SlugField(
        "网址名", max_length=80, unique=True, validators=[ascii_slug],
        help_text="用于网址，只能使用小写英文字母、数字和连字符。",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey(
        "self", verbose_name="上级工会", null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    aliases = models.TextField(
        "别名", blank=True, help_text="在正文中识别该工会时使用的其他叫法，每行一个。"
    )
    description = models.TextField("简介", blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort_order = models.PositiveIntegerField("排序", default=0)

    objects = UnionBodyQuerySet.as_manager()

    class Meta:
        verbose_name = "工会组织"
        verbose_name_plural = "工会组织"
        ordering = ["sort_order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="unionbody_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return public_url("articles:union_detail", slug=self.slug)

    def clean(self):
        if self.parent_id and self.pk:
            directory = UnionBody.objects.directory()
            parent = directory.by_pk.get(self.parent_id)
            above = [parent, *directory.ancestors(parent)] if parent else []
            if any(body.pk == self.pk for body in above):
                raise ValidationError({"parent": "上级工会不能是它自己或它的下级工会。"})

    def alias_list(self):
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class UnionDirectory:
    """Union bodies from one query, with the tree between them."""

    def __init__(self, bodies=None):
        bodies = list(UnionBody.objects.all() if bodies is None else bodies)
        self.by_pk = {body.pk: body for body in bodies}
        self.by_slug = {body.slug: body for body in bodies}
        self._children, self._lineage = {}, {}
        for body in bodies:  # in the queryset's order: sort_order, then name
            parent_id = body.parent_id if body.parent_id in self.by_pk else None
            self._children.setdefault(parent_id, []).append(body)
        # Wire the parents we already hold, so body.parent costs no query. Straight into
        # the relation's cache, as Django's own prefetch does: assigning through the
        # descriptor re-checks and re-sets parent_id, for every body on every request.
        parent = UnionBody._meta.get_field("parent")
        for body in bodies:
            if body.parent_id in self.by_pk:
                parent.set_cached_value(body, self.by_pk[body.parent_id])

    def get(self, slug):
        return self.by_slug.get(slug)

    def children(self, body, active_only=True):
        kids = self._children.get(getattr(body, "pk", body), [])
        return [kid for kid in kids if kid.is_active or not active_only]

    def roots(self):
        return self.children(None)

    def ancestors(self, body):
        """From the root down to `body`'s parent."""
        chain, seen = [], {body.pk}
        parent = self.by_pk.get(body.parent_id)
        while parent is not None and parent.pk not in seen:
            chain.insert(0, parent)
            seen.add(parent.pk)
            parent = self.by_pk.get(parent.parent_id)
        return chain

    def lineage_ids(self, pk):
        """The ids of body `pk` and every body above it; () for no such body. Remembered:
        a search's facets ask for the same few bodies a thousand times."""
        lineage = self._lineage.get(pk)
        if lineage is None:
            body = self.by_pk.get(pk)
            lineage = self._lineage[pk] = tuple(
                b.pk for b in [*self.ancestors(body), body]) if body else ()
        return lineage

    def subtree_ids(self, *roots):
        """The ids of `roots` (bodies or ids) and all their descendants, active or not
        (an inactive body's stories still count), each once, parents first."""
        found, seen = [], set()
        stack = [getattr(root, "pk", root) for root in reversed(roots)]
        while stack:
            pk = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            found.append(pk)
            stack.extend(kid.pk for kid in reversed(self._children.get(pk, ())))
        return found

    def walk(self, active_only=True):
        """[(body, depth)] in display order: parents before their children.

        Bodies caught in a parent cycle have no way up to a root; they come last,
        at depth 0, so that an administrator can see and repair them.
        """
        rows, seen = [], set()

        def visit(body, depth):
            if body.pk in seen:
                return
            seen.add(body.pk)
            rows.append((body, depth))
            for kid in self.children(body, active_only):
                visit(kid, depth + 1)

        for root in self.children(None, active_only):
            visit(root, 0)
        if not active_only:
            for body in self.by_pk.values():
                visit(body, 0)
        return rows
