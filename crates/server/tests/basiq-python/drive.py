# Drives a Tally server with Basiq's own Python SDK (basiq 1.0.1), unchanged, speaking
# basiq-version 2.0: institutions, a user, a connection to the sandbox bank and its job,
# accounts, a page of transactions, refreshing every connection. Exits non-zero on any
# failure; prints one line per step.
import sys

import basiq

base, api_key = sys.argv[1], sys.argv[2]
session = basiq.Session(basiq.API(base + "/"), api_key, "2.0")
institutions = session.getInstitutions()
assert any(i["id"] == "AU00000" for i in institutions["data"]), institutions
print("institutions", len(institutions["data"]))
user = basiq.UserService(session).create(email="python@example.com")
print("user", user.id)
job = user.createConnection({"loginId": "gavinBelson", "password": "hooli2016", "institution": {"id": "AU00000"}})
connection = job.waitForAccounts(500, 60)
print("connection", connection.id)
accounts = user.getAccounts()
assert len(accounts["data"]) > 0, accounts
print("accounts", len(accounts["data"]))
transactions = user.getTransactions()
assert len(transactions.data["data"]) > 0, transactions.data
print("transactions", len(transactions.data["data"]))
assert user.refreshAllConnections() is not None
print("refreshed")
