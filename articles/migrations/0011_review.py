"""三审三校: review levels, who may act at each, policies; 机审 word lists; an append-only log.

The upgrade, in data (no application code is imported):
- three levels, 初审 → 复审 → 终审 (the last signs off), each open to the 编辑 group
  (every existing editor may act at every level, never two levels of one story)
  and to a group of its own (初审编辑, 复审编辑, 终审编辑) for newsrooms that
  specialise: remove 编辑 from a level in the admin and put people in its group;
- the default policy 三审 with all three levels, and 街道短讯（两审）(初审 + 终审,
  street unions' stories of at most 300 characters), switched off;
- every story in review today waits at 初审 under 三审; published stories keep
  their history as it is;
- every logged event keeps its actor's name beside the account (`actor_name`).
"""


import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, NullIf

LEVELS = [
    (1, "初审", "初审编辑", "值班编辑审读：事实、导向、文字。"),
    (2, "复审", "复审编辑", "部门主任审核：内容把关、标题与篇幅。"),
    (3, "终审", "终审编辑", "总编辑或值班总编终审并签发。"),
]
EDITOR_GROUP = "编辑"


def seed(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ReviewLevel = apps.get_model("articles", "ReviewLevel")
    ReviewerGroup = apps.get_model("articles", "ReviewerGroup")
    ReviewPolicy = apps.get_model("articles", "ReviewPolicy")
    SetupVersion = apps.get_model("articles", "SetupVersion")
    Article = apps.get_model("articles", "Article")
    ArticleEvent = apps.get_model("articles", "ArticleEvent")

    editors, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    levels = []
    for order, name, group_name, description in LEVELS:
        level, _ = ReviewLevel.objects.get_or_create(
            name=name, defaults={"order": order, "description": description})
        own, _ = Group.objects.get_or_create(name=group_name)
        for group in (editors, own):
            ReviewerGroup.objects.get_or_create(level=level, group=group, union_body=None)
        levels.append(level)
    default, _ = ReviewPolicy.objects.get_or_create(
        name="三审（默认）",
        defaults={"is_default": True, "priority": 0, "description": "初审 → 复审 → 终审（签发）"},
    )
    default.levels.set(levels)
    short, created = ReviewPolicy.objects.get_or_create(
        name="街道短讯（两审）",
        defaults={"is_active": False, "priority": 10, "union_kind": "street", "max_chars": 300,
                  "description": "街道·乡镇总工会的短消息：初审后直接终审签发。"},
    )
    if created:
        short.levels.set([levels[0], levels[2]])
    Article.objects.filter(status="review").update(review_level=levels[0], review_policy=default)
    User = apps.get_model(settings.AUTH_USER_MODEL)
    name = User.objects.filter(pk=OuterRef("actor_id")).values(
        shown=Coalesce(NullIf("first_name", Value("")), "username"))[:1]
    # The base manager: the model's own refuses updates (the log is append-only), and
    # filling a new column is not changing what was logged.
    ArticleEvent._base_manager.filter(actor__isnull=False).update(actor_name=Subquery(name))
    for key in ("review", "wordlists"):
        # A new token, never a fixed one: a process that read an earlier setup must not
        # take these rows for it.
        SetupVersion.objects.update_or_create(key=key, defaults={"token": uuid.uuid4().hex})


def unseed(apps, schema_editor):
    apps.get_model("articles", "Article").objects.update(review_level=None, review_policy=None)


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0010_epaper'),
        ('auth', '0012_alter_user_first_name_max_length'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ListedWord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(max_length=50, verbose_name='词语')),
                ('level', models.CharField(choices=[('block', '禁用'), ('warn', '提示'), ('replace', '替换')], default='warn', max_length=10, verbose_name='级别')),
                ('replacement', models.CharField(blank=True, help_text='“替换”级别必填：正确的写法。', max_length=50, verbose_name='应改为')),
                ('reason', models.CharField(blank=True, help_text='机审时告诉记者和编辑的理由。', max_length=200, verbose_name='说明')),
            ],
            options={
                'verbose_name': '机审词语',
                'verbose_name_plural': '机审词语',
                'ordering': ['word_list', 'word'],
            },
        ),
        migrations.CreateModel(
            name='ReviewLevel',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='例如：初审、复审、终审。', max_length=20, unique=True, verbose_name='名称')),
                ('order', models.PositiveSmallIntegerField(help_text='数字小的先审；稿件按顺序逐级审核，最后一级签发。', unique=True, verbose_name='顺序')),
                ('description', models.CharField(blank=True, help_text='例如：值班编辑审读，把好事实和文字关。', max_length=200, verbose_name='说明')),
            ],
            options={
                'verbose_name': '审级',
                'verbose_name_plural': '审级',
                'ordering': ['order', 'id'],
            },
        ),
        migrations.CreateModel(
            name='SetupVersion',
            fields=[
                ('key', models.CharField(max_length=20, primary_key=True, serialize=False)),
                ('token', models.CharField(max_length=32)),
            ],
            options={
                'verbose_name': '设置版本',
                'verbose_name_plural': '设置版本',
            },
        ),
        migrations.CreateModel(
            name='WordList',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(help_text='例如：禁用词、规范用语。', max_length=50, unique=True, verbose_name='名称')),
                ('description', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
            ],
            options={
                'verbose_name': '机审词表',
                'verbose_name_plural': '机审词表',
                'ordering': ['name'],
            },
        ),
        migrations.AddField(
            model_name='articleevent',
            name='acknowledged',
            field=models.JSONField(blank=True, default=list, verbose_name='已确认的机审提示'),
        ),
        migrations.AddField(
            model_name='articleevent',
            name='actor_name',
            field=models.CharField(blank=True, max_length=150, verbose_name='操作人姓名'),
        ),
        migrations.AddField(
            model_name='articleevent',
            name='level_name',
            field=models.CharField(blank=True, max_length=20, verbose_name='审级名称'),
        ),
        migrations.AlterField(
            model_name='articleevent',
            name='action',
            field=models.CharField(choices=[('created', '创建'), ('submitted', '送审'), ('recalled', '撤回送审'), ('passed', '审核通过'), ('sent_back', '退回上一级'), ('returned', '退回'), ('published', '发布'), ('scheduled', '定时发布'), ('withdrawn', '撤回'), ('corrected', '更正'), ('restored', '恢复历史版本'), ('deleted', '删除'), ('undeleted', '从回收站恢复'), ('backfilled', '补录')], max_length=20, verbose_name='操作'),
        ),
        migrations.CreateModel(
            name='ReviewerGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='auth.group', verbose_name='用户组')),
                ('union_body', models.ForeignKey(blank=True, help_text='留空：所有稿件。', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='articles.unionbody', verbose_name='仅限该工会组织（含下级）的稿件')),
                ('level', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reviewers', to='articles.reviewlevel', verbose_name='审级')),
            ],
            options={
                'verbose_name': '可审稿的用户组',
                'verbose_name_plural': '可审稿的用户组',
            },
        ),
        migrations.AddField(
            model_name='article',
            name='review_level',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='waiting', to='articles.reviewlevel', verbose_name='审级'),
        ),
        migrations.AddField(
            model_name='articleevent',
            name='level',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='articles.reviewlevel', verbose_name='审级'),
        ),
        migrations.CreateModel(
            name='ReviewPolicy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=50, unique=True, verbose_name='名称')),
                ('is_default', models.BooleanField(default=False, help_text='没有其他流程适用的稿件走默认流程；只能有一个。', verbose_name='默认流程')),
                ('is_active', models.BooleanField(default=True, verbose_name='启用')),
                ('priority', models.PositiveSmallIntegerField(default=10, help_text='数字小的先匹配。', verbose_name='匹配顺序')),
                ('union_kind', models.CharField(blank=True, choices=[('municipal', '市总工会'), ('district', '区总工会'), ('street', '街道·乡镇总工会'), ('industry', '产业工会'), ('enterprise', '企业工会'), ('other', '其他')], help_text='稿件所属的工会组织都属于此类时适用（稿件须至少属于一个工会组织）。', max_length=20, verbose_name='仅适用于此类工会的稿件')),
                ('max_chars', models.PositiveIntegerField(blank=True, help_text='导语加正文的字数。', null=True, verbose_name='仅适用于不超过此字数的稿件')),
                ('description', models.CharField(blank=True, max_length=200, verbose_name='说明')),
                ('levels', models.ManyToManyField(related_name='policies', to='articles.reviewlevel', verbose_name='审级')),
            ],
            options={
                'verbose_name': '审稿流程',
                'verbose_name_plural': '审稿流程',
                'ordering': ['-is_default', 'priority', 'id'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='review_policy',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='articles.reviewpolicy', verbose_name='审稿流程'),
        ),
        migrations.RunPython(seed, unseed),
        migrations.AddConstraint(
            model_name='article',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('review_level__isnull', False), ('status', 'review')), models.Q(models.Q(('status', 'review'), _negated=True), ('review_level__isnull', True)), _connector='OR'), name='article_review_has_level'),
        ),
        migrations.AddField(
            model_name='listedword',
            name='word_list',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='words', to='articles.wordlist', verbose_name='词表'),
        ),
        migrations.AddConstraint(
            model_name='reviewergroup',
            constraint=models.UniqueConstraint(condition=models.Q(('union_body__isnull', True)), fields=('level', 'group'), name='reviewergroup_unique_all'),
        ),
        migrations.AddConstraint(
            model_name='reviewergroup',
            constraint=models.UniqueConstraint(fields=('level', 'group', 'union_body'), name='reviewergroup_unique_body'),
        ),
        migrations.AddConstraint(
            model_name='reviewpolicy',
            constraint=models.UniqueConstraint(condition=models.Q(('is_default', True)), fields=('is_default',), name='reviewpolicy_one_default'),
        ),
        migrations.AddConstraint(
            model_name='listedword',
            constraint=models.UniqueConstraint(fields=('word_list', 'word'), name='listedword_unique'),
        ),
        migrations.AddConstraint(
            model_name='listedword',
            constraint=models.CheckConstraint(condition=models.Q(('word', ''), _negated=True), name='listedword_not_empty'),
        ),
        migrations.AddConstraint(
            model_name='listedword',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('level', 'replace'), _negated=True), models.Q(('replacement', ''), _negated=True), _connector='OR'), name='listedword_replace_has_form'),
        ),
    ]
