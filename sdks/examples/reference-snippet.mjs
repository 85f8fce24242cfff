import { CloudNexus } from '@cloudnexus/sdk';

const cn = new CloudNexus(process.env.CN_API_KEY);

async function deployServer() {
  const server = await cn.servers.create({
    region: 'us-east-1',
    plan: 'professional',
    image: 'ubuntu-22.04',
    count: 2
  });
  console.log(`Deployed: ${server.id}`);
}

deployServer();
