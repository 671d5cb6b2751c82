#!/usr/bin/env python3
"""Times POST /v1/iso20022 with an envelope of N pacs.008 against POST /v1/payments/batch
with N JSON payments, on a running demo node (`corridor up --demo`, plain HTTP on
127.0.0.1:8080); median of several rounds each.

Usage: scripts/bench-envelope.py VOLGRUMM_TOKEN [N [ROUNDS]]"""
import json, sys, time, uuid, urllib.request, datetime, statistics

BASE = "http://127.0.0.1:8080"
TOKEN = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 500
RUN = uuid.uuid4().hex[:6]
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 7
TODAY = datetime.datetime.now(datetime.timezone.utc).date().isoformat()

def post(path, body, ctype):
    req = urllib.request.Request(BASE + path, data=body, method="POST",
        headers={"Authorization": "Bearer " + TOKEN, "Content-Type": ctype})
    t = time.perf_counter()
    with urllib.request.urlopen(req) as r:
        data = r.read()
    return time.perf_counter() - t, json.loads(data)

def pacs008(i):
    u = str(uuid.uuid4())
    return f"""<AppHdr xmlns="urn:iso:std:iso:20022:tech:xsd:head.001.001.02"><Fr><FIId><FinInstnId><BICFI>VOLGRUMM</BICFI></FinInstnId></FIId></Fr><To><FIId><FinInstnId><BICFI>CRDRRUMMXXX</BICFI></FinInstnId></FIId></To><BizMsgIdr>{i}</BizMsgIdr><MsgDefIdr>pacs.008.001.08</MsgDefIdr><CreDt>{TODAY}T09:30:00Z</CreDt></AppHdr>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><FIToFICstmrCdtTrf><GrpHdr><MsgId>{i}</MsgId><CreDtTm>{TODAY}T09:30:00Z</CreDtTm><NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>CLRG</SttlmMtd></SttlmInf></GrpHdr><CdtTrfTxInf><PmtId><InstrId>{i}</InstrId><EndToEndId>E2E-{i}</EndToEndId><UETR>{u}</UETR></PmtId><IntrBkSttlmAmt Ccy="RUB">1.00</IntrBkSttlmAmt><IntrBkSttlmDt>{TODAY}</IntrBkSttlmDt><ChrgBr>SHAR</ChrgBr><InstgAgt><FinInstnId><BICFI>VOLGRUMM</BICFI></FinInstnId></InstgAgt><InstdAgt><FinInstnId><BICFI>NEVARUMM</BICFI></FinInstnId></InstdAgt><Dbtr><Nm>Volga Energy</Nm></Dbtr><DbtrAgt><FinInstnId><BICFI>VOLGRUMM</BICFI></FinInstnId></DbtrAgt><CdtrAgt><FinInstnId><BICFI>NEVARUMM</BICFI></FinInstnId></CdtrAgt><Cdtr><Nm>Anna Smirnova</Nm></Cdtr></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>
"""

def payment(i):
    return {"kind": "customer_credit_transfer", "charge_bearer": "SHAR", "instruction_id": i, "end_to_end_id": "E2E-" + i, "uetr": str(uuid.uuid4()),
            "instructed_agent": "NEVARUMM", "currency": "RUB", "amount": "1.00",
            "debtor": {"name": "Volga Energy"}, "creditor": {"name": "Anna Smirnova"}}

iso, js = [], []
for r in range(ROUNDS):
    env = "<Envelope>\n" + "".join(pacs008(f"ENV-{RUN}-{r}-{i}") for i in range(N)) + "</Envelope>\n"
    dt, rep = post("/v1/iso20022", env.encode(), "application/xml")
    assert rep["accepted"] == N, rep.get("messages", [])[:1]
    iso.append(dt)
    body = json.dumps({"payments": [payment(f"JSON-{RUN}-{r}-{i}") for i in range(N)]}).encode()
    dt, rep = post("/v1/payments/batch", body, "application/json")
    js.append(dt)
mi, mj = statistics.median(iso), statistics.median(js)
print(f"N={N} rounds={ROUNDS}: ISO envelope median {mi*1000:.1f} ms ({N/mi:,.0f} messages/s); "
      f"JSON batch median {mj*1000:.1f} ms ({N/mj:,.0f} payments/s); ratio {mi/mj:.2f}")
