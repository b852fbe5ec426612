"""The background job behind the web upload: `chats.import`."""

from __future__ import annotations

from ..accounts.models import User
from ..extensions import db
from ..ingest.reasons import coded
from ..jobs.services import JobFailed, in_owner_language
from .importer import ImportConflict, ImportRejected, import_file


def run_import(job, progress) -> dict:
    params = job.params
    user = db.session.get(User, job.owner_id) if job.owner_id else None
    try:
        summary = import_file(
            params["path"],
            encoding=params.get("encoding", "utf-8"),
            replace=params.get("replace", False),
            skip_invalid=params.get("skip_invalid", False),
            user=user,
            progress=progress,
            display_name=params.get("filename"),
        )
    except ImportRejected as error:
        if error.limit is not None:  # a size limit: said in the owner's language
            with in_owner_language(job):
                raise JobFailed(error.limit.localised()) from None
        raise JobFailed(
            f"{error} — nothing was imported",
            result={
                "refused": True,
                "rejected": error.lines,
                "problems": [coded(problem) for problem in error.problems],
            },
        ) from None
    except ImportConflict as error:
        raise JobFailed(str(error)) from None
    result = summary.as_dict()
    # the job page lists these with localised reasons and offers them as CSV
    result["problems"] = [coded(problem) for problem in summary.problems]
    return result
