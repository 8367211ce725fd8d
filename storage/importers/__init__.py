"""CRM and team importers: read a CSV export, check its rows, upsert what is good.

Reusable by any importer:
csv_file      bytes -> rows with their physical line numbers, streamed (encodings, footers)
dates         dates, and the evidence that decides a file's day/month order
money         amounts with their currency, and the evidence that decides a decimal mark
values        emails, probabilities, header names
file_locale   a first pass over a file: one reading of its dates and amounts
rejects       --max-rejects and the --rejects file

Deals:
presets       deal fields and the layouts of Salesforce, HubSpot and crm-sample exports
column_mapping  a preset (named or detected) plus --map overrides -> field columns
stage_placement, stage_map_store   stage groups from a stage map, forecast, probability
deal_rows     one row -> a DealRecord or its rejection (pure)
import_staging  what an import has seen, in a temporary table (duplicates, snapshots)
deal_upsert   DealRecords -> inserts, updates and DealEvents, chunk by chunk
hygiene       rows that import but look wrong in the CRM
deal_import   the whole `import deals` in one transaction, in bounded memory
team_rows, team_upsert, team_import   the same for `import team`
"""
