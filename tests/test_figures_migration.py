"""Migration 0010 on a database written by the positional code: the progress each commitment
showed before is the progress it has after, and the stored overall is recomputed (not the
drifted value the old code kept)."""

from datetime import UTC, datetime

from sqlalchemy import insert, select, text

from storage.db import Database
from storage.models import CampaignDocument, Commitment, Person, Pledge, ProgressUpdate

AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


async def test_positional_progress_becomes_progress_of_the_commitment(
    empty_database_url: str,
) -> None:
    db = Database(empty_database_url)
    try:
        await db.upgrade("0009")
        async with db.engine.begin() as connection:
            people = [
                (await connection.execute(insert(Person).values(display_name=name).returning(Person.id))).scalar_one()
                for name in ("Lan", "Minh")
            ]  # fmt: skip
            campaign = (
                await connection.execute(
                    insert(CampaignDocument).values(
                        identity="kh-2026", year=2026, title="Kế hoạch", issuer="Sở",
                        signer="", source_name="kh.txt", document="",
                    ).returning(CampaignDocument.id)
                )
            ).scalar_one()  # fmt: skip
            for pledge_id, commitments in ((1, ["a", "b", "c"]), (2, [])):
                await connection.execute(
                    insert(Pledge).values(
                        id=pledge_id, person_id=people[pledge_id - 1], campaign_id=campaign, title="ldtt",
                        late=False, progress=88, created_at=AT, updated_at=AT,
                    )
                )  # fmt: skip
                for n, body in enumerate(commitments, 1):
                    await connection.execute(
                        insert(Commitment).values(pledge_id=pledge_id, position=n, text=body)
                    )
            # the sequence as the old code stored it: 60 overall, then 3 → 100 thrice;
            # an update of a commitment number that no longer exists; pledge 2 without any
            for pledge_id, position, percent, drifted in (
                (1, None, 60, 60), (1, 3, 100, 73), (1, 3, 100, 82), (1, 3, 100, 88),
                (1, 7, 10, 80), (2, None, 30, 30), (2, None, 45, 45),
            ):  # fmt: skip
                await connection.execute(
                    text(
                        "INSERT INTO progress_update (pledge_id, commitment_position, percent, "
                        "overall, created_at) VALUES (:p, :c, :v, :o, :t)"
                    ),
                    {"p": pledge_id, "c": position, "v": percent, "o": drifted, "t": AT},
                )
        await db.upgrade()
        async with db.transaction() as session:
            progress = dict((await session.execute(select(Pledge.id, Pledge.progress))).all())
            assert progress == {1: 73, 2: 45}
            texts: dict[int | None, str] = dict(
                (await session.execute(select(Commitment.id, Commitment.text))).all()
            )
            updates = await session.scalars(
                select(ProgressUpdate)
                .where(ProgressUpdate.pledge_id == 1)
                .order_by(ProgressUpdate.id)
            )
            latest = {texts[u.commitment_id]: u.percent for u in updates}
            assert latest == {"a": 60, "b": 60, "c": 100}
    finally:
        await db.engine.dispose()
