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


class ChangeStamp(models.Model):
    """How often an agreement's rows of one month in one table have changed (database triggers).

    Cached answers are keyed by it (``operations.stamps``): a few indexed rows to read instead of
    counting an agreement's rows. The triggers count every insert, update and delete, however
    it is made (a form, an import, ``bulk_create``, a queryset's ``update``, plain SQL), and
    the counter moves in the writing transaction, so a reader never sees new data under an
    old stamp. ``changed_at`` tells two histories apart that reach the same count (a restored
    backup, a rolled-back write).
    """

    source = models.CharField(max_length=64)  # the table's name
    agreement_id = models.BigIntegerField()  # no foreign key: a deleted agreement's rows stamp too
    month = models.IntegerField(default=0)  # YYYYMM of the rows' date; 0: before months were kept
    changes = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "agreement_id", "month"], name="changestamp_month_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.agreement_id}: {self.changes}"
