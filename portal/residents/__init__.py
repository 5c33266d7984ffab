"""Residents who still need recording: vocabulary shared by the coordinator and staff areas."""
