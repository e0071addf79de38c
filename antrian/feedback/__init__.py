"""Feedback from the people the office serves: complaints (SOP Penanganan Pengaduan) and the
SKM satisfaction survey (PermenPANRB 14/2017). Models and operations; the pages live in the
kiosk and staff_console rooms."""
