import cloudnexus

client = cloudnexus.Client(api_key="cn_live_sk_abc123")

server = client.servers.create(
    region="us-east-1",
    plan="professional",
    image="ubuntu-22.04",
    count=2
)

print(f"Deployed: {server.id}")
