"""The story log is append-only, enforced by the database (see kiosque/appendonly.py)."""

from django.db import migrations

from kiosque.appendonly import append_only


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_stories")]

    operations = [append_only(table="articles_storyaction", name="story_log", what="story log")]
