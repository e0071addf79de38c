"""The IUMK case desk: the applicant's data, its checks and protection, the Buku Register."""
