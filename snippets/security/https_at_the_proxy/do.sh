# TLS ends at the reverse proxy (nginx, Traefik, a cloud load balancer), which redirects HTTP
# to HTTPS, sends Strict-Transport-Security, and forwards each request to the app over plain
# HTTP with X-Forwarded-Proto and X-Forwarded-For. The app trusts those headers from the
# proxy's address only:
fastapi run src/app/main.py --proxy-headers --forwarded-allow-ips "$PROXY_IP"
