"""Evidence: what happened on a deal (CRM activities) and what its notes say (signals)."""
