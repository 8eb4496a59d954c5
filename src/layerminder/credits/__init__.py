"""Credits: balances, the append-only ledger, debits, refunds and admin grants."""
