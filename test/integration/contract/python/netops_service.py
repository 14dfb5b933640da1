"""A platform team's service, written only from docs/client-library.md and schemas/:
it builds a rollout input from a netops inventory, starts rolloutWorkflow by
name, queries it, approves it after the canary, reads the report, and sends
malformed inputs. Prints one JSON document on stdout for the test to read."""

import argparse
import asyncio
import hashlib
import json
import os
import sys
import time

import yaml
from temporalio.client import Client, WorkflowFailureError, WorkflowUpdateFailedError
from temporalio.common import SearchAttributeKey, SearchAttributePair, TypedSearchAttributes
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError


def secret_ref(text, where):
    """'env:NAME' / 'file:PATH' in the inventory -> the reference object the workflow takes."""
    if text.startswith("env:"):
        return {"kind": "env", "name": text[4:]}
    if text.startswith("file:"):
        return {"kind": "file", "path": text[5:]}
    raise ValueError(f"{where}: not a secret reference (env:NAME or file:PATH)")


def credential_ref(inventory, set_name):
    entry = inventory["credentials"][set_name]
    ref = {"set": set_name, "username": entry["username"]}
    for field, key in (("password", "password"), ("enable_secret", "enableSecret"), ("passphrase", "passphrase")):
        if field in entry:
            ref[key] = secret_ref(entry[field], f"credentials.{set_name}.{field}")
    if "private_key" in entry:
        ref["privateKey"] = entry["private_key"]
    if "agent" in entry:
        ref["agent"] = bool(entry["agent"])
    return ref


def device_targets(inventory):
    """The mapping of docs/client-library.md: a device's own value, else defaults (no groups here)."""
    defaults = inventory.get("defaults", {})
    targets = []
    for name, own in inventory["devices"].items():
        if own.get("groups") or inventory.get("groups"):
            # Group inheritance is not implemented in this small service: refuse rather than guess.
            raise ValueError(f"device {name}: inventory groups are not supported by this service")
        merged = {**defaults, **own}
        target = {
            "name": name,
            "host": merged["host"],
            "port": int(merged.get("port", 22)),
            "platform": merged["platform"],
            "site": merged["site"],
            "groups": [],
            "credentials": credential_ref(inventory, merged["credentials"]),
            "hostKeyCheck": merged.get("host_key_check", "strict"),
        }
        if "redundancy_group" in merged:
            target["redundancyGroup"] = merged["redundancy_group"]
        if "host_key" in merged:
            target["hostKey"] = merged["host_key"]
        if "known_hosts" in merged:
            target["knownHostsFile"] = merged["known_hosts"]
        targets.append(target)
    return targets


def sites(inventory):
    return {name: {"name": name, "timezone": s["timezone"], "windows": s.get("windows", [])} for name, s in inventory["sites"].items()}


def image_spec(path):
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    # No "version": the workflow reads it from the file name.
    return {"fileName": os.path.basename(path), "md5": digest.hexdigest(), "sizeBytes": os.path.getsize(path), "path": os.path.abspath(path)}


def rollout_input(args):
    with open(args.inventory) as f:
        inventory = yaml.safe_load(f)
    return {
        "name": args.name,
        "job": {"kind": "upgrade", "image": image_spec(args.image)},
        "devices": device_targets(inventory),
        "sites": sites(inventory),
        "settings": {"window": 2, "canary": {"count": 1}, "timings": "lab"},
    }


async def start(client, args, body, name):
    return await client.start_workflow(
        "rolloutWorkflow",
        body,
        id=f"rollout/{name}",
        task_queue=args.task_queue,
        search_attributes=TypedSearchAttributes([
            SearchAttributePair(SearchAttributeKey.for_keyword("NetopsKind"), "rollout"),
            SearchAttributePair(SearchAttributeKey.for_keyword("NetopsRolloutId"), name),
            SearchAttributePair(SearchAttributeKey.for_keyword_list("NetopsDevices"), [d["name"] for d in body.get("devices", []) if isinstance(d, dict) and "name" in d]),
        ]),
    )


async def run_rollout(client, args):
    body = rollout_input(args)
    handle = await start(client, args, body, args.name)
    deadline = time.monotonic() + 90
    progress = await handle.query("progress")
    while progress["status"] != "awaiting-approval":
        if time.monotonic() > deadline:
            raise TimeoutError(f"rollout {args.name} never reached awaiting-approval: {progress['status']}")
        await asyncio.sleep(0.2)
        progress = await handle.query("progress")
    refused = None
    try:
        await handle.execute_update("resume", {})
    except WorkflowUpdateFailedError as err:
        cause = err.cause
        refused = {"type": cause.type, "non_retryable": cause.non_retryable, "message": cause.message, "details": list(cause.details)} if isinstance(cause, ApplicationError) else {"type": type(cause).__name__}
    answer = await handle.execute_update("approve", {})
    report = await handle.result()
    after_end = None
    try:
        await handle.execute_update("pause", {})
    except RPCError as err:
        after_end = {"error": type(err).__name__, "status": err.status.name, "message": err.message}
    return {"input": body, "progress": progress, "refused": refused, "approved": answer, "report": report, "after_end": after_end}


async def run_malformed(client, args):
    good = rollout_input(args)
    no_devices = {k: v for k, v in good.items() if k != "devices"}
    typo = json.loads(json.dumps(good))
    typo["settings"]["dryrun"] = True
    literal = json.loads(json.dumps(good))
    literal["devices"][0]["credentials"]["password"] = "py-literal-secret"
    literal["devices"][1]["platform"] = "junos"
    results = []
    for label, body in (("no-devices", no_devices), ("typo", typo), ("literal-secret", literal)):
        name = f"{args.name}-{label}"
        started = time.monotonic()
        handle = await start(client, args, {**body, "name": name}, name)
        try:
            await handle.result()
            results.append({"case": label, "failed": False})
        except WorkflowFailureError as err:
            cause = err.cause
            results.append({
                "case": label,
                "failed": True,
                "type": getattr(cause, "type", None),
                "non_retryable": getattr(cause, "non_retryable", None),
                "message": str(cause),
                "problems": list(cause.details)[0]["problems"] if isinstance(cause, ApplicationError) and cause.details else [],
                "seconds": time.monotonic() - started,
            })
    return {"results": results}


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["rollout", "malformed"])
    parser.add_argument("--address", required=True)
    parser.add_argument("--task-queue", required=True)
    parser.add_argument("--inventory", required=True)
    parser.add_argument("--image", required=True)
    parser.add_argument("--name", required=True)
    args = parser.parse_args()
    client = await Client.connect(args.address, namespace="default")
    out = await (run_rollout(client, args) if args.command == "rollout" else run_malformed(client, args))
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main())
