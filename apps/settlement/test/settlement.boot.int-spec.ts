import { describeServiceBoot } from '@postrade/testing';

describeServiceBoot('settlement', 13003);
