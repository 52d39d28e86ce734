import { SERVICE_PORTS } from '@postrade/contracts';
import { describeServiceBoot } from '@postrade/testing';

describeServiceBoot('reconciliation', SERVICE_PORTS.reconciliation + 10_000);
