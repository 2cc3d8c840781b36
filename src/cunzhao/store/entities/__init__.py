"""Entities: one record per platform, company, app, account, regulator … with its aliases.

``model`` the records; ``seed`` the data files; ``resolve`` names to ids on the writer's
connection; ``sync`` the rebuild and re-resolution of stored names; ``edits`` recorded,
reversible aliases and merges; ``read`` lookups and suggestions; ``issuers`` facts grouped
by the province and level of who issued them.
"""
