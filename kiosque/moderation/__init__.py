"""Image reports from readers, automatic blocking, the moderation queue and its audit log."""
