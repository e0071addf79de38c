"""How the office is doing: figures computed from the records and the event log, never from
counters of their own (a counter can drift; the records are what happened)."""
