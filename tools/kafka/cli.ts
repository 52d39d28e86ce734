/** `npm run kafka -- start|stop|fetch`: manage the local broker by hand. */
import { ensureKafkaJars, startLocalKafka, stopLocalKafka } from '@postrade/local-runtime';

async function main(command = 'start') {
  if (command === 'fetch') ensureKafkaJars();
  else if (command === 'start') {
    const kafka = await startLocalKafka();
    process.stdout.write(`Kafka is accepting clients on ${kafka.connection.brokers.join(',')}\n`);
  } else if (command === 'stop') await stopLocalKafka();
  else throw new Error(`unknown command ${command}: use start, stop or fetch`);
}

main(process.argv[2]).catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
