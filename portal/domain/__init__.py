"""What the portal is about, written once: the words (statuses, kinds, labels), regions,
RT/RW and NIK rules as they apply to stored data, who may see what (``Scope``), the audit
writer, the one write transaction and the errors services raise.

Nothing here imports Litestar: services call it with plain values, and ``portal.web``
turns a request into those values and the errors below into HTTP.
"""
