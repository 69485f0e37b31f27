#!/usr/bin/env python3
"""A one-location Shopify Admin API for scripts/check-release.sh: python3 scripts/check_release_shop.py PORT LOG

Answers StockyardLocations and StockyardInventoryLevels in Shopify's documented shapes on
127.0.0.1:PORT (the full emulator is in the Swift tests) and appends each request to LOG, so that
the check can compare what the release binary sent with the documents in ShopifyDocuments.swift.
`python3 scripts/check_release_shop.py --compare LOG` does that comparison.
"""
import json
import os
import re
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

TOKEN = "shpat_check_release_0000"
COST = {"requestedQueryCost": 10, "actualQueryCost": 10,
        "throttleStatus": {"maximumAvailable": 2000.0, "currentlyAvailable": 1990, "restoreRate": 100.0}}
LOCATION = {"id": "gid://shopify/Location/1", "legacyResourceId": "1", "name": "Main", "isActive": True,
            "fulfillsOnlineOrders": True, "isFulfillmentService": False,
            "address": {"address1": "1 High St", "address2": None, "city": "York", "zip": "YO1 1AA", "countryCode": "GB"}}
ANSWERS = {
    "StockyardLocations": {"locations": {"edges": [{"cursor": "c1", "node": LOCATION}],
                                         "pageInfo": {"hasNextPage": False, "endCursor": "c1"}}},
    "StockyardInventoryLevels": {"location": {"id": LOCATION["id"], "inventoryLevels": {
        "edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}}},
}


class Shop(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        if self.headers.get("X-Shopify-Access-Token") != TOKEN:
            return self.reply(401, {"errors": "[API] Invalid API key or access token"})
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with open(sys.argv[2], "a", encoding="utf-8") as log:
            log.write(json.dumps({"path": self.path, "operationName": body.get("operationName"), "query": body.get("query")}) + "\n")
        data = ANSWERS.get(body.get("operationName"))
        if data is None:
            return self.reply(200, {"errors": [{"message": "this check answers only locations and inventory levels"}]})
        self.reply(200, {"data": data, "extensions": {"cost": COST}})

    def reply(self, status, payload):
        out = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)


def documents():
    """The documents as ShopifyDocuments.swift spells them, by operation name."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    text = open(os.path.join(root, "Sources/StockyardAdapters/Shopify/ShopifyDocuments.swift"), encoding="utf-8").read()
    out = {}
    for match in re.finditer(r'case \.(\w+):\n( +)#"""\n(.*?)\n +"""#', text, re.S):
        indent = len(match.group(2))
        document = "\n".join(line[indent:] for line in match.group(3).split("\n"))
        name = re.search(r"^(?:query|mutation) (\w+)", document, re.M).group(1)
        out[name] = document
    return out


def compare(log):
    expected = documents()
    requests = [json.loads(line) for line in open(log, encoding="utf-8")]
    if not requests:
        sys.exit("check_release_shop: the binary sent no request")
    for request in requests:
        if request["query"] != expected.get(request["operationName"]):
            sys.exit(f"check_release_shop: {request['operationName']} was sent with another document than ShopifyDocuments.swift's")
    print(f"the binary sent {len(requests)} requests ({', '.join(sorted({r['operationName'] for r in requests}))}), "
          f"each with its document exactly as in ShopifyDocuments.swift")


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        compare(sys.argv[2])
    else:
        HTTPServer(("127.0.0.1", int(sys.argv[1])), Shop).serve_forever()
