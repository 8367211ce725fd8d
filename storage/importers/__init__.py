"""CRM and team importers: read a CSV export, check its rows, upsert what is good.

csv_file      bytes -> rows with their physical line numbers (encodings, footers)
values        cell parsers: dates, amounts, currencies, emails
presets       deal fields and the layouts of Salesforce, HubSpot and crm-sample exports
column_mapping  a preset (named or detected) plus --map overrides -> field columns
deal_rows     rows -> DealRecords or rejections (pure)
deal_upsert   DealRecords -> inserts, updates and DealEvents in bulk
deal_import   the whole `import deals` in one transaction
team_rows, team_upsert, team_import   the same for `import team`
"""
