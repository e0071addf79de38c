"""/api/v1/printers and /api/v1/print-jobs/<id>/reprint: what the desks show of the printers,
for other programs (a monitoring screen, a script), and the staff reprint. Staff only: the
waiting slips are the office's business. No personal data: a slip is named by its number."""

from __future__ import annotations

from flask import current_app, jsonify

from antrian.api.routes import api
from antrian.auth import api_role_required, current_staff
from antrian.models import PrintJob
from antrian.operations.calls import actor_name
from antrian.printing import jobs
from antrian.web import db_session, request_now


def job_json(job: PrintJob) -> dict:
    return {
        "id": job.id,
        "printer": job.printer,
        "kind": job.kind,
        "slip": jobs.slip_label(job),
        "status": job.status,
        "reprint": job.reprint,
        "attempts": job.attempts,
        "last_error": job.last_error,
        "created_at": job.created_dt.isoformat(),
        "printed_at": job.printed_dt.isoformat() if job.printed_dt else None,
    }


@api.get("/printers")
@api_role_required("front_office")
def get_printers():
    states = jobs.printer_states(db_session(), current_app.config["ANTRIAN"], request_now())
    return jsonify(
        [
            {
                "name": p.name,
                "label": p.label,
                "device": p.device or None,
                "monitored": p.monitored,
                "status": p.status,
                "ready": p.ready,
                "problem": p.problem,
                "alert": p.alert,
                "since": p.since_dt.isoformat() if p.since_dt else None,
                "waiting": p.waiting,
                "waiting_jobs": [job_json(job) for job in p.waiting_jobs],
            }
            for p in states
        ]
    )


@api.post("/print-jobs/<int:job_id>/reprint")
@api_role_required("front_office")
def reprint_print_job(job_id: int):
    copy = jobs.reprint_job(db_session(), job_id, actor_name(current_staff()), request_now())
    return jsonify(job_json(copy)), 201


PRINT_JOB = {
    "type": "object",
    "required": ["id", "printer", "kind", "slip", "status", "reprint", "created_at"],
    "properties": {
        "id": {"type": "integer"},
        "printer": {"type": "string", "example": "kiosk"},
        "kind": {"enum": ["ticket", "receipt", "handover", "complaint"]},
        "slip": {"type": "string", "example": "A-001"},
        "status": {"enum": ["pending", "printing", "done", "failed", "reprinted"]},
        "reprint": {"type": "boolean", "description": "dicetak dengan tanda CETAK ULANG"},
        "attempts": {"type": "integer"},
        "last_error": {"type": ["string", "null"]},
        "created_at": {"type": "string", "format": "date-time"},
        "printed_at": {"type": ["string", "null"], "format": "date-time"},
    },
}
PRINTER = {
    "type": "object",
    "required": ["name", "label", "status", "ready", "alert", "waiting", "waiting_jobs"],
    "properties": {
        "name": {"type": "string", "example": "kiosk-2"},
        "label": {"type": "string", "example": "Printer kios Kios lobi kiri"},
        "device": {
            "type": ["string", "null"],
            "description": "kiosk atau loket terdaftar pemilik printer ini; null: printer bawaan",
        },
        "monitored": {"type": "boolean", "description": "menjawab pertanyaan status (DLE EOT)"},
        "status": {"type": ["string", "null"], "example": "kertas habis"},
        "ready": {"type": "boolean"},
        "problem": {"type": "boolean"},
        "alert": {"type": "boolean", "description": "merah di meja petugas"},
        "since": {"type": ["string", "null"], "format": "date-time"},
        "waiting": {"type": "integer", "description": "slip yang belum tercetak"},
        "waiting_jobs": {"type": "array", "items": {"$ref": "#/components/schemas/PrintJob"}},
    },
}


INT = {"type": "integer"}


def openapi_paths(error: dict, json_response) -> dict:
    staff = [{"bearer": []}, {"cookie": []}]
    return {
        "/printers": {
            "get": {
                "summary": "Status tiap printer dan slip yang menunggu dicetak (urut cetak)",
                "security": staff,
                "responses": {
                    "200": json_response(
                        {"type": "array", "items": {"$ref": "#/components/schemas/Printer"}},
                        "Printer",
                    ),
                    "401": json_response(error, "Belum masuk"),
                    "403": json_response(error, "Akun ini tidak berhak"),
                },
            }
        },
        "/print-jobs/{job_id}/reprint": {
            "post": {
                "summary": "Cetak ulang slip yang sudah tercetak atau gagal (CETAK ULANG)",
                "security": staff,
                "parameters": [
                    {
                        "name": "job_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer"},
                    }
                ],
                "responses": {
                    "201": json_response(
                        {"$ref": "#/components/schemas/PrintJob"}, "Job cetak baru"
                    ),
                    "400": json_response(error, "Token keamanan tidak valid (sesi peramban)"),
                    "401": json_response(error, "Belum masuk"),
                    "403": json_response(error, "Akun ini tidak berhak"),
                    "404": json_response(error, "Job cetak tidak ditemukan"),
                    "409": json_response(error, "Slip sedang dicetak atau sudah dikirim ulang"),
                },
            }
        },
    }
