"""Alerts: rules on any figure a module offers, the alerts they raise, and the notifications that
reach a person."""
