"""The "Moderators" group: its members (with staff status) work the moderation queue and read its log."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Moderators"


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create this app's now so the
    # group can hold its permission on a fresh database.
    app_config = apps.get_app_config("moderation")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label="moderation", codename="moderate_images"))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0002_append_only_log"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
