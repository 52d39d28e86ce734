import { describeServiceBoot } from '@postrade/testing';

describeServiceBoot('ledger', 13004);
