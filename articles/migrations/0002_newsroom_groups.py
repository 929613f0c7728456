"""Create the newsroom's roles as groups: 记者 (reporter) and 编辑 (editor).

Administrators are superusers. The workflow module decides who may submit,
publish or return a story; these model permissions decide what each role can
open in the admin at all.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER_GROUP = "记者"
EDITOR_GROUP = "编辑"

ROLE_PERMISSIONS = {
    REPORTER_GROUP: [
        "add_article", "change_article", "view_article",
        "add_photo", "change_photo", "view_photo",
        "view_unionbody", "view_reporter", "view_articleevent",
    ],
    EDITOR_GROUP: [
        "add_article", "change_article", "delete_article", "view_article",
        "add_photo", "change_photo", "delete_photo", "view_photo",
        "view_unionbody", "view_reporter", "view_articleevent",
    ],
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
