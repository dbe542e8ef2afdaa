# Forwarded headers trusted from every address: any client that reaches the port directly
# chooses the scheme and the client address the app sees.
fastapi run src/app/main.py --proxy-headers --forwarded-allow-ips "*"
