"""An "add SSH key" endpoint and a cloud import API in Flask, with keyvet
deciding what is stored.

    pip install ./bindings/python flask
    flask --app bindings/python/examples/flask_upload.py run
    curl -s localhost:5000/keys --data-urlencode key@$HOME/.ssh/id_ed25519.pub
    curl -s localhost:5000/keys --data-urlencode key@$HOME/.ssh/id_ed25519    # refused: a private key

POST /keys takes one paste (form field `key`, or a JSON body {"key": ...}):
201 with the key line to store and its fingerprints, 400 with keyvet's code,
message and position (a private key is refused and never echoed; paste
mistakes are named, and with `repair=1` repaired), 409 for a key already
stored, 413 for a body over 64 KiB. GET /keys lists what was stored.

POST /ecs/ImportKeyPair serves Alibaba Cloud ECS's ImportKeyPair (its
parameters as form fields, `Format=XML` for XML) exactly as keyvet's
profile does: the provider's status, body and codes.
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List

from flask import Flask, Response, jsonify, request

import keyvet
from keyvet import profiles


def create_app(policy: str = "strict") -> Flask:
    app = Flask(__name__)
    # Bounded bodies: Flask answers 413 before the view reads them.
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    stored: Dict[str, Dict[str, Any]] = {}  # by SHA256 fingerprint
    lock = threading.Lock()
    ecs_store = profiles.Store()

    @app.post("/keys")
    def add_key() -> Any:
        body = request.get_json(silent=True) if request.is_json else None
        paste = (body or {}).get("key") if body is not None else request.form.get("key")
        if not isinstance(paste, str):
            return jsonify(code="request.key_missing", message="send the public key in the field `key`"), 400
        repair = request.args.get("repair") == "1" or request.form.get("repair") == "1"
        try:
            v = keyvet.vet(paste, policy=policy, repair=repair)
        except keyvet.KeyvetError as e:
            # The code is stable for clients; the message says what to fix;
            # the position is where there is one. Nothing of the paste is
            # echoed (it may be a private key).
            return jsonify(code=e.code, message=e.message, line=e.line, byte=e.byte), 400
        entry = {
            "line": v.line,
            "algorithm": v.algorithm,
            "bits": v.bits,
            "sha256": v.sha256,
            "md5": v.md5,
            "converted_from": v.converted_from,
            "repairs": [r["code"] for r in v.repairs],
            "warnings": [f["id"] for f in v.findings],
        }
        with lock:
            if v.sha256 in stored:
                return jsonify(code="key.duplicate", message="this key is already stored"), 409
            stored[v.sha256] = entry
        return jsonify(entry), 201

    @app.get("/keys")
    def list_keys() -> Any:
        with lock:
            keys: List[Dict[str, Any]] = list(stored.values())
        return jsonify(keys)

    @app.post("/ecs/ImportKeyPair")
    def ecs_import() -> Response:
        params = request.form.to_dict()
        xml = params.get("Format", "").upper() == "XML"
        r = profiles.alibaba_ecs.import_key_pair(ecs_store, params)
        if xml and r.xml is not None:
            return Response(r.xml, status=r.status, mimetype="application/xml")
        return Response(r.text, status=r.status, mimetype="application/json")

    return app


app = create_app()
