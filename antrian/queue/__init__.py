"""The queue's domain: when the office gives numbers (opening)."""
