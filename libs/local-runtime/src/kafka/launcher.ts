/**
 * Local Apache Kafka (KRaft, single node) for development and tests, without Docker: the broker's
 * jars come from Maven Central through the pom.xml beside this file and run on the machine's Java.
 *
 * start: resolves the jars once, formats the storage once, starts kafka.Kafka detached, waits until
 * it accepts clients. A broker already answering on the port is reused, not started twice.
 *
 * The broker is secured as in production (docs/security.md): clients authenticate with SASL/SCRAM
 * (SCRAM-SHA-256) on a SASL_PLAINTEXT listener, and StandardAuthorizer refuses whatever the ACLs
 * (./acls.ts) do not allow. The principals (the administrator, one per service, one per gateway)
 * and their SCRAM credentials are written into the metadata log when the storage is formatted;
 * their passwords are the development ones unless `<PRINCIPAL>_KAFKA_PASSWORD` is set. The
 * KRaft controller listener stays PLAINTEXT, bound to the host given (127.0.0.1 by default).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KAFKA_PRINCIPALS } from '@postrade/contracts';
import { brokerAnswers, KAFKA_ADMIN_PRINCIPAL, kafkaPasswordOf, waitForBroker, type KafkaConnection } from '@postrade/messaging';
import { createLogger } from '@postrade/platform';
import { repoRoot } from '../ts-entry';

const log = createLogger('kafka-launcher');
const KAFKA_JAR = 'kafka_2.13-3.9.1.jar';
/** This folder: its pom.xml names the broker's jars, which are copied into its .cache/lib (git-ignored). */
const kafkaDir = __dirname;
const libDir = join(kafkaDir, '.cache', 'lib');
/** The SASL mechanism of the local broker's client listener. */
const SCRAM = 'SCRAM-SHA-256';

export interface LocalKafkaOptions {
  host?: string;
  port?: number;
  controllerPort?: number;
  /** Storage and logs; git-ignored. */
  dataDir?: string;
  heapMb?: number;
  /** Where the principals' passwords come from (`<PRINCIPAL>_KAFKA_PASSWORD`, else the development ones); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface LocalKafka {
  connection: KafkaConnection;
  /** True when this call started the broker (false: an already-running one was reused). */
  startedHere: boolean;
  stop(): Promise<void>;
}

function options(opts: LocalKafkaOptions) {
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? Number(process.env.KAFKA_PORT ?? 9092);
  return {
    host,
    port,
    controllerPort: opts.controllerPort ?? port + 1,
    dataDir: resolve(opts.dataDir ?? process.env.KAFKA_DATA_DIR ?? join(repoRoot, '.postrade', `kafka-${port}`)),
    heapMb: opts.heapMb ?? 512,
    env: opts.env ?? process.env,
  };
}

/** Every principal of the local broker with its password: the administrator, the services, the gateways. */
export function localKafkaPrincipals(env: NodeJS.ProcessEnv = process.env): { name: string; password: string }[] {
  return [KAFKA_ADMIN_PRINCIPAL, ...KAFKA_PRINCIPALS].map((name) => ({ name, password: kafkaPasswordOf(name, env) }));
}

/** The administrator's connection to the local broker: the runtime creates topics and ACLs with it. */
export function localKafkaAdminConnection(host: string, port: number, env: NodeJS.ProcessEnv = process.env): KafkaConnection {
  return {
    clientId: 'postrade-launcher',
    brokers: [`${host}:${port}`],
    sasl: { mechanism: 'scram-sha-256', username: KAFKA_ADMIN_PRINCIPAL, password: kafkaPasswordOf(KAFKA_ADMIN_PRINCIPAL, env) },
  };
}

/** A digest of the principals and passwords the storage was formatted with: a change re-formats it. */
function securityFingerprint(o: ReturnType<typeof options>): string {
  const principals = localKafkaPrincipals(o.env).map((p) => `${p.name}:${p.password}`);
  return createHash('sha256').update([SCRAM, ...principals].join('\n')).digest('hex');
}

/** Resolves the broker jars from Maven Central into .cache/lib beside this file (once). */
export function ensureKafkaJars(): void {
  if (existsSync(join(libDir, KAFKA_JAR))) return;
  log.info({ libDir }, 'resolving the Kafka broker jars from Maven Central (first run only)');
  const mvn = spawnSync('mvn', ['-B', '-q', '-f', join(kafkaDir, 'pom.xml'), 'dependency:copy-dependencies'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (mvn.error) throw new Error(`Maven is needed to fetch the Kafka broker jars: ${mvn.error.message}`);
  if (mvn.status !== 0 || !existsSync(join(libDir, KAFKA_JAR))) {
    throw new Error(`mvn dependency:copy-dependencies failed (exit ${mvn.status}); see the output above`);
  }
}

function classpath(): string {
  return readdirSync(libDir)
    .filter((f) => f.endsWith('.jar'))
    .map((f) => join(libDir, f))
    .join(':');
}

function java(args: string[]) {
  const result = spawnSync('java', args, { encoding: 'utf8' });
  if (result.error) throw new Error(`Java 17+ is needed to run the local Kafka broker: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`java ${args.slice(-4).join(' ')} failed: ${result.stderr || result.stdout}`);
  return result.stdout.trim();
}

function writeConfig(o: ReturnType<typeof options>): string {
  mkdirSync(o.dataDir, { recursive: true });
  const config = join(o.dataDir, 'server.properties');
  writeFileSync(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${o.host}:${o.controllerPort}`,
      `listeners=SASL_PLAINTEXT://${o.host}:${o.port},CONTROLLER://${o.host}:${o.controllerPort}`,
      `advertised.listeners=SASL_PLAINTEXT://${o.host}:${o.port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=SASL_PLAINTEXT',
      'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
      // Clients authenticate with SCRAM; the broker talks to itself as the administrator.
      `sasl.enabled.mechanisms=${SCRAM}`,
      `sasl.mechanism.inter.broker.protocol=${SCRAM}`,
      `listener.name.sasl_plaintext.${SCRAM.toLowerCase()}.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${KAFKA_ADMIN_PRINCIPAL}" password="${kafkaPasswordOf(KAFKA_ADMIN_PRINCIPAL, o.env).replace(/["\\]/g, '\\$&')}";`,
      // Only what an ACL allows; the administrator (and the controller's own PLAINTEXT listener on this host) are super users.
      'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'allow.everyone.if.no.acl.found=false',
      `super.users=User:${KAFKA_ADMIN_PRINCIPAL};User:ANONYMOUS`,
      `log.dirs=${join(o.dataDir, 'data')}`,
      // Topics are created explicitly at start-up with their partition counts.
      'auto.create.topics.enable=false',
      'num.partitions=1',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=10',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'log.retention.hours=168',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(o.dataDir, 'log4j.properties'),
    [
      'log4j.rootLogger=WARN, file',
      'log4j.appender.file=org.apache.log4j.RollingFileAppender',
      `log4j.appender.file.File=${join(o.dataDir, 'server.log')}`,
      'log4j.appender.file.MaxFileSize=20MB',
      'log4j.appender.file.MaxBackupIndex=2',
      'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.kafka=INFO',
      'log4j.logger.org.apache.kafka=WARN',
      '',
    ].join('\n'),
  );
  return config;
}

function securityFile(o: ReturnType<typeof options>) {
  return join(o.dataDir, 'security.sha256');
}

/**
 * Formats the storage once, with every principal's SCRAM credentials. Storage formatted before the
 * broker was secured, or with other passwords, is formatted again (its topics are created again at
 * start-up; a local broker's data is development data).
 */
function formatStorageOnce(o: ReturnType<typeof options>, config: string): void {
  const fingerprint = securityFingerprint(o);
  const formatted = existsSync(join(o.dataDir, 'data', 'meta.properties'));
  if (formatted && existsSync(securityFile(o)) && readFileSync(securityFile(o), 'utf8').trim() === fingerprint) return;
  if (formatted) {
    log.warn({ dataDir: o.dataDir }, 'the Kafka storage was formatted without the current principals; formatting it again');
    rmSync(join(o.dataDir, 'data'), { recursive: true, force: true });
  }
  const cp = classpath();
  const clusterId = java(['-cp', cp, 'kafka.tools.StorageTool', 'random-uuid']).split('\n').pop()!.trim();
  const scram = localKafkaPrincipals(o.env).flatMap((p) => ['--add-scram', `${SCRAM}=[name=${p.name},password=${p.password}]`]);
  java(['-cp', cp, `-Dlog4j.configuration=file:${join(o.dataDir, 'log4j.properties')}`, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config, ...scram]);
  writeFileSync(securityFile(o), fingerprint);
}

function pidFile(o: ReturnType<typeof options>) {
  return join(o.dataDir, 'kafka.pid');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts (or reuses) the local broker and resolves once it accepts clients. */
export async function startLocalKafka(opts: LocalKafkaOptions = {}): Promise<LocalKafka> {
  const o = options(opts);
  const connection = localKafkaAdminConnection(o.host, o.port, o.env);
  if (await brokerAnswers(connection)) {
    log.info({ brokers: connection.brokers }, 'reusing the Kafka broker already running');
    return { connection, startedHere: false, stop: async () => undefined };
  }
  if (await brokerAnswers({ clientId: connection.clientId, brokers: connection.brokers })) {
    // A broker of this launcher from before it was secured (no SASL): restart it secured.
    if (!existsSync(pidFile(o))) {
      throw new Error(`a Kafka broker without authentication answers on ${o.host}:${o.port} and was not started by this launcher; stop it first`);
    }
    log.warn({ brokers: connection.brokers }, 'the Kafka broker running here accepts clients without authentication; restarting it secured');
    await stopLocalKafka(opts);
  }
  ensureKafkaJars();
  const config = writeConfig(o);
  formatStorageOnce(o, config);
  const out = openSync(join(o.dataDir, 'stdout.log'), 'a');
  const child = spawn(
    'java',
    [
      `-Xms${Math.min(256, o.heapMb)}m`,
      `-Xmx${o.heapMb}m`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j.configuration=file:${join(o.dataDir, 'log4j.properties')}`,
      '-cp',
      classpath(),
      'kafka.Kafka',
      config,
    ],
    { detached: true, stdio: ['ignore', out, out] },
  );
  child.unref();
  writeFileSync(pidFile(o), String(child.pid));
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const started = Date.now();
  try {
    await Promise.race([
      waitForBroker(connection, 90_000),
      new Promise((_, reject) => {
        const t = setInterval(() => {
          if (exited !== null) {
            clearInterval(t);
            reject(new Error(`the Kafka broker exited with code ${exited}; see ${join(o.dataDir, 'stdout.log')} and server.log`));
          }
        }, 200);
        t.unref();
      }),
    ]);
  } catch (err) {
    if (child.pid && isAlive(child.pid)) process.kill(child.pid, 'SIGKILL');
    throw err;
  }
  log.info({ brokers: connection.brokers, pid: child.pid, ms: Date.now() - started, dataDir: o.dataDir }, 'Kafka broker started');
  return { connection, startedHere: true, stop: () => stopLocalKafka(opts) };
}

/** Stops the broker this launcher started (by its pid file), waiting for a clean shutdown. */
export async function stopLocalKafka(opts: LocalKafkaOptions = {}): Promise<void> {
  const o = options(opts);
  const file = pidFile(o);
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8'));
  if (pid > 0 && isAlive(pid)) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    log.info({ pid }, 'Kafka broker stopped');
  }
  rmSync(file, { force: true });
}
