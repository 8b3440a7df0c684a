"""What the running installation knows about itself: living workers and daily schedules."""

from django.db import models


class WorkerHeartbeat(models.Model):
    """A ``buendnis worker`` process; it writes ``seen_at`` every few seconds while alive."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"


class ScheduleRun(models.Model):
    """The day a daily schedule last ran; one worker claims each day's run."""

    name = models.CharField(max_length=64, primary_key=True)
    ran_on = models.DateField()
    ran_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.ran_on}"
