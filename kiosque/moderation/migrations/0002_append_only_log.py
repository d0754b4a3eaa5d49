"""The moderation log is append-only, enforced by the database (see kiosque/appendonly.py)."""

from django.db import migrations

from kiosque.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]

    operations = [append_only(table="moderation_moderationaction", name="moderation_log", what="moderation log")]
